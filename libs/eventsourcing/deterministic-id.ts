import { v5 as uuidv5 } from 'uuid';

/** Namespace of every name-based UUID of contact-profiles (a fixed random UUID; never change it). */
export const CONTACT_PROFILES_NAMESPACE = '6f1c2b9e-4f0a-4c55-9a57-3d0c8e5b7a21';

/** A UUIDv5 of the given parts: the same parts always give the same id. */
export function deterministicId(...parts: string[]): string {
  return uuidv5(JSON.stringify(parts), CONTACT_PROFILES_NAMESPACE);
}
