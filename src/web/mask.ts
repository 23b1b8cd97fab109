/**
 * Public pages never show an investor's id in full (个人信息保护): the first two and the last two
 * characters stay, so a person can recognise their own line, and the rest become asterisks.
 * Ids of four characters or fewer are masked whole.
 */
export function maskInvestorId(id: string): string {
  const characters = [...id];
  if (characters.length <= 4) return '*'.repeat(characters.length);
  return `${characters.slice(0, 2).join('')}${'*'.repeat(characters.length - 4)}${characters.slice(-2).join('')}`;
}
