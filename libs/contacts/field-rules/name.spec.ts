import { normalizeName } from './name.js';

describe('name rule', () => {
  it.each([
    ['Ann', 'Ann'],
    ['  Ann Lee  ', 'Ann Lee'],
    ['Al', 'Al'],
    ['Jo', 'Jo'],
    ['O’Brien', 'O’Brien'],
    ['Jean-Luc Picard', 'Jean-Luc Picard'],
    ['Dr. Ann Lee, PhD', 'Dr. Ann Lee, PhD'],
    ['Agent 007', 'Agent 007'],
    ['李雷', '李雷'],
    ['Анна', 'Анна'],
    ['محمد', 'محمد'],
    ['Zoë 🌸', 'Zoë 🌸'],
    ['a'.repeat(200), 'a'.repeat(200)],
  ])('accepts %j as %j', (raw, value) => {
    expect(normalizeName(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'only spaces'],
    ['A', 'one letter'],
    [' a ', 'one letter once trimmed'],
    ['李', 'one character'],
    ['12345', 'only digits'],
    ['...', 'only punctuation'],
    ['#$%&', 'only special characters'],
    ['- 1 -', 'spaces, digits and punctuation'],
    ['🌸🌸', 'only emoji'],
    ['Ann\nLee', 'a line break'],
    ['a'.repeat(201), 'more than 200 characters'],
  ])('refuses %j (%s) with a formatting tip', (raw) => {
    const result = normalizeName(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/Enter/);
  });
});
