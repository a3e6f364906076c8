/** Everything a customer or an admin typed goes through this before it reaches HTML (emails, pages). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
