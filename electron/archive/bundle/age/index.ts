// age v1 (https://age-encryption.org/v1) on node:crypto: the encryption layer of Sijil bundles.
export type { ByteSource } from './byteReader.ts';
export { createDecryptStream, decrypt, decryptChunks, decryptFile } from './decrypt.ts';
export type { DecryptedFile } from './decrypt.ts';
export type { DecryptOptions } from './decrypt.ts';
export { createEncryptStream, encrypt, encryptChunks } from './encrypt.ts';
export type { EncryptOptions } from './encrypt.ts';
export { AgeError, isAgeError } from './errors.ts';
export type { AgeErrorCode } from './errors.ts';
export { parseIdentityFile } from './identityFile.ts';
export { DEFAULT_WORK_FACTOR, MAX_WORK_FACTOR } from './scrypt.ts';
export { generateIdentity, identityToRecipient, parseRecipient } from './keys.ts';
export type { KeyKind } from './keys.ts';
export { ageRuntimeSupport } from './runtime.ts';
export { chooseAead, currentAead, hasNativeAead, useAead } from './aead.ts';
export type { Aead, AeadName, AeadPreference } from './aead.ts';
export type { AgeRuntimeSupport } from './runtime.ts';
