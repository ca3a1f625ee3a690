import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM over `data.personal`: the whole object is sealed at once (one cipher operation
 * per event, which is what reading a log fast needs) as
 * `{ "$sealed": base64(iv ‖ tag ‖ ciphertext of its JSON), "$shape": … }`. `$shape` is the same
 * object with every value replaced by null: which fields an event carries stays readable — so
 * an erased event keeps its shape, and the audit trail which field changed — the values do not.
 * The key id is the additional authenticated data: a value cannot be opened under another
 * subject's key.
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;

export type Sealed = { $sealed: string; $shape: unknown };

export function isSealed(value: unknown): value is Sealed {
  return typeof value === 'object' && value !== null && typeof (value as Sealed).$sealed === 'string' && '$shape' in value;
}

/** `personal` sealed with the key; null and absent stay as they are (there is nothing to hide in "no value"). */
export function seal(personal: unknown, key: Buffer, keyId: string): unknown {
  if (personal === null || personal === undefined) return personal;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(keyId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(personal), 'utf8'), cipher.final()]);
  return { $sealed: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64'), $shape: shapeOf(personal) };
}

/**
 * `personal` opened with the key, or, without a key (destroyed), its shape: the same fields,
 * every value null. A value that is not sealed (written before encryption existed) passes as is.
 */
export function open(personal: unknown, key: Buffer | null, keyId: string): { value: unknown; erased: boolean } {
  if (!isSealed(personal)) return { value: personal, erased: false };
  if (!key) return { value: personal.$shape, erased: true };
  const bytes = Buffer.from(personal.$sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(keyId, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  const plaintext = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  return { value: JSON.parse(plaintext.toString('utf8')), erased: false };
}

/** The object with its plain-object structure kept and every other value null. */
function shapeOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, shapeOf(child)]));
}
