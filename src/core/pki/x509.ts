// The one place that loads @peculiar/x509: the Reflect shim must run first, and the crypto provider is Node's
// WebCrypto (globalThis.crypto exists on Node ≥ 19; node:crypto's webcrypto is the same object).
import './reflect-shim';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

export const subtle: SubtleCrypto = (webcrypto as unknown as Crypto).subtle;
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
