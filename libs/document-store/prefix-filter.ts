/** A filter value matching strings that start with `prefix`: the anchored `$regex` every adapter supports. */
export function startsWith(prefix: string): { $regex: string } {
  return { $regex: `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` };
}
