// @ts-check
// electron-builder's afterPack hook (electron-builder.yml): flips the packaged Electron binary's
// fuses before it is signed. Fuses are bits compiled into the binary that no flag, environment
// variable or script can turn back on, so a copy of Sijil on a seized or shared laptop cannot be
// made to run arbitrary code as "Sijil" with the archive's permissions.
import { FuseV1Options, FuseVersion } from '@electron/fuses';

/** The fuse wire the packaged app ships with; test/unit/packaging.test.ts checks it value by value. */
export const FUSES = Object.freeze({
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE=1 would turn the signed app into a plain Node interpreter.
  [FuseV1Options.RunAsNode]: false,
  // Cookies and other Chromium storage encrypted with the OS keychain (Sijil keeps little there).
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS=--require evil.js would inject code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect / --inspect-brk would open a debugger port into the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The app.asar must match the hash embedded at build time (macOS, Windows): no edited code loads.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Only app.asar is loaded, never a loose resources/app folder planted beside it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // The app is served from sijil-app://, never file://: file: pages get no extra powers.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
});

const ARM64 = 3; // builder-util's Arch.arm64
const UNIVERSAL = 4; // builder-util's Arch.universal

/** @param {import('app-builder-lib').AfterPackContext} context */
export default async function afterPack(context) {
  const mac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  const fuses = {
    ...FUSES,
    // Flipping a fuse breaks the ad-hoc signature Apple silicon needs; electron-builder signs next.
    resetAdHocDarwinSignature: mac && (context.arch === ARM64 || context.arch === UNIVERSAL),
  };
  await context.packager.addElectronFuses(context, /** @type {any} */ (fuses));
}
