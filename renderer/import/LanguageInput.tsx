// A language code field (ar, en, ckb…) with the common ones offered by name in the reader's language.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldControlProps } from './Field.tsx';

const COMMON = ['ar', 'en', 'ku', 'ckb', 'fa', 'tr', 'fr', 'syc'] as const;
// The archive's own rule for a language (shared/domain.ts ItemFields.language).
const CODE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** The translation key of what is wrong with a typed language code, or null if it is fine or empty. */
export function languageProblem(value: string): string | null {
  const v = value.trim();
  return v === '' || CODE.test(v) ? null : 'form.languageInvalid';
}

function nameOf(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function LanguageInput({ value, onChange, ...control }: FieldControlProps & { value: string; onChange: (v: string) => void }) {
  const { i18n } = useTranslation();
  const listId = useId();
  return (
    <>
      <input
        {...control}
        className="input"
        dir="ltr"
        list={listId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="ar, en…"
        maxLength={35}
        autoComplete="off"
        spellCheck={false}
      />
      <datalist id={listId}>
        {COMMON.map((code) => (
          <option key={code} value={code}>
            {nameOf(code, i18n.language)}
          </option>
        ))}
      </datalist>
    </>
  );
}
