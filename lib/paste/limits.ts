// What CBA Doctor refuses to read, and why. Issue 6: no input may keep the parsers busy for more than 100 ms.
// Detection is linear in the size of the paste, so the size is bounded; past the bound a paste is refused
// whole, with a message that says so, rather than read in part.

/**
 * Longest paste read, in characters (after cleaning): 1.25 MiB. Issue 6 asks that 1 MB of anything be read
 * within 100 ms; the slowest shapes of text measured (hundreds of thousands of one-line paragraphs or
 * Format-List records) take about 60 ms per MiB on the 2-core build machine, so a bound just above 1 MB keeps
 * every paste within the limit, and 2 MB would not. The outputs the checks need are far smaller: a whole Root
 * store listed by certutil -verifystore is a few hundred KB, and the portal takes 256 KB per box.
 */
export const MAX_PASTE_CHARS = 1.25 * 1024 * 1024;

/** Entra ID's PKI-based trust store holds at most 250 certificate authorities; more is not one tenant's list. */
export const MAX_CA_CERTIFICATES = 250;

/** Thrown by a parser that refuses a block; detection reports the message as the reason the block was not read. */
export class PasteRefusal extends Error {}

const mb = (chars: number) => `${Number((chars / (1024 * 1024)).toFixed(2))} MB`;

/** Why a paste of `chars` characters (after normalizeText) is refused whole, or null when it is read. */
export function refusal(chars: number): string | null {
  if (chars <= MAX_PASTE_CHARS) return null;
  return (
    `This text is ${mb(chars)} long, more than the ${mb(MAX_PASTE_CHARS)} CBA Doctor reads from one paste, so none of it was read. ` +
    'Paste only the output of the commands CBA Doctor reads (for a large certificate store, the part that shows your CAs), or split it into several pastes.'
  );
}
