// Files dropped on the app as a person drops them: a DataTransfer of files made in the page,
// dragged over the main area and dropped there.
import type { JSHandle, Page } from 'playwright-core';

export interface PageFile {
  readonly name: string;
  readonly type: string;
  readonly content: string;
}

/** Drags `files` over the app's main area and drops them there. */
export async function dropFiles(page: Page, files: readonly PageFile[]): Promise<void> {
  const dataTransfer: JSHandle<DataTransfer> = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.content], f.name, { type: f.type }));
    return dt;
  }, files);
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('main', type, { dataTransfer });
  await dataTransfer.dispose();
}
