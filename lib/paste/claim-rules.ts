// AD FS claim rules, as printed by (Get-AdfsClaimsProviderTrust -Name "Active Directory").AcceptanceTransformRules
// and (Get-AdfsRelyingPartyTrust -Name "Microsoft Office 365 Identity Platform").IssuanceTransformRules, or
// inside the Format-List output of those trusts. Certificate sign-in needs the certificate's serial number
// and issuer claims passed through on both.
import type { CommandHint } from './commands';
import { prop, readFormatList } from './format-list';
import type { Line } from './text';
import type { ClaimRule, ClaimRuleSet, ClaimRulesData, ClaimTrust } from './types';

export function lineScoreClaimRules(t: string): number {
  // Cheap first look (every line of every paragraph is scored): "=>" somewhere, or the first letter of the patterns.
  if (!t.includes('=>') && !'@CcNnEe'.includes(t[0])) return 0;
  if (/=>\s*(issue|add)\s*\(/i.test(t) || /^@Rule(Name|Template)\s*=/i.test(t)) return 3;
  if (/^(?:c\d*|NOT EXISTS|EXISTS)\s*:?\s*\(?\[\s*Type\s*==/i.test(t)) return 2;
  return 0;
}

export function scoreClaimRulesList(names: Set<string>): number {
  return names.has('acceptancetransformrules') || names.has('issuancetransformrules') ? 4 : 0;
}

const PASS_THROUGH = /^(\w+)\s*:\s*\[\s*Type\s*==\s*"([^"]+)"\s*(?:,[^\]]*)?\]\s*=>\s*issue\s*\(\s*claim\s*=\s*(\w+)\s*\)\s*;?$/i;

/** Splits rule-language text into rules at the ';' that ends each one (not inside strings). */
export function parseRulesText(text: string, lineAt: (offset: number) => number): ClaimRule[] {
  const rules: ClaimRule[] = [];
  let start = 0;
  let inString = false;
  const emit = (end: number) => {
    const chunk = text.slice(start, end);
    const body = chunk.trim();
    if (body.includes('=>')) {
      // The @Rule patterns need an "@": most rules of a long paste have none, and skip them.
      const at = body.includes('@');
      const name = at ? (/@RuleName\s*=\s*"([^"]*)"/i.exec(body)?.[1] ?? null) : null;
      const template = at ? (/@RuleTemplate\s*=\s*"([^"]*)"/i.exec(body)?.[1] ?? null) : null;
      const logic = (at ? body.replace(/@Rule\w*\s*=\s*"[^"]*"/gi, '') : body).replace(/\s+/g, ' ').trim();
      const m = PASS_THROUGH.exec(logic);
      const condOffset = at ? chunk.replace(/@Rule\w*\s*=\s*"[^"]*"/gi, (s) => ' '.repeat(s.length)).search(/\S/) : chunk.search(/\S/);
      rules.push({
        name,
        template,
        text: logic.length > 2000 ? `${logic.slice(0, 1999)}…` : logic,
        passThrough: m && m[1].toLowerCase() === m[3].toLowerCase() ? m[2] : null,
        line: lineAt(start + Math.max(0, condOffset)),
      });
    }
    start = end + 1;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === ';') emit(i);
    // A string left open by a cut paste must not swallow the rest: strings end at a line break.
    if (ch === '\n') inString = false;
  }
  if (text.slice(start).trim()) emit(text.length);
  return rules;
}

/** Which trust a single rule typically sits on, from what it does (null: could be either). */
function ruleTrust(r: ClaimRule): ClaimTrust | null {
  if (/store\s*=\s*"Active Directory"/i.test(r.text) || /ImmutableID|\/claims\/issuerid|\/2012\/01\/accounttype/i.test(r.text)) return 'relying-party';
  if (/Issuer\s*==\s*"AD AUTHORITY"/i.test(r.text)) return 'claims-provider';
  return null;
}

/**
 * Without command lines the two rule sets arrive as one text. The Active Directory claims provider
 * trust accepts claims issued by "AD AUTHORITY"; the Office 365 relying party trust queries Active
 * Directory and issues ImmutableID/UPN/issuerid. Cut where one kind of rule gives way to the other;
 * neutral rules (the pass-through ones) stay with the set they follow.
 */
function splitByContent(rules: ClaimRule[]): { trust: ClaimTrust; rules: ClaimRule[] }[] {
  const sets: { trust: ClaimTrust; rules: ClaimRule[] }[] = [];
  let cur: { trust: ClaimTrust; rules: ClaimRule[] } | null = null;
  for (const r of rules) {
    const t = ruleTrust(r);
    if (!cur) cur = { trust: t ?? 'unknown', rules: [] };
    else if (t && cur.trust === 'unknown') cur.trust = t;
    else if (t && t !== cur.trust) {
      sets.push(cur);
      cur = { trust: t, rules: [] };
    }
    cur.rules.push(r);
  }
  if (cur) sets.push(cur);
  return sets;
}

function rulesFromLines(lines: Line[]): ClaimRule[] {
  const starts: number[] = [];
  let text = '';
  for (const l of lines) {
    starts.push(text.length);
    text += `${l.text}\n`;
  }
  return parseRulesText(text, (off) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return lines[lo]?.n ?? 1;
  });
}

export function parseClaimRules(lines: Line[], hint?: CommandHint): ClaimRulesData {
  const sets: ClaimRuleSet[] = [];
  // Format-List output of the trust objects: the rules are the value of a property.
  for (const r of readFormatList(lines)) {
    for (const [propName, trust] of [['AcceptanceTransformRules', 'claims-provider'], ['IssuanceTransformRules', 'relying-party']] as const) {
      const p = prop(r, propName);
      if (!p) continue;
      const rules = parseRulesText(p.value, () => p.line);
      sets.push({ trust, trustName: prop(r, 'Name')?.value || null, trustFrom: 'property', rules, line: p.line });
    }
  }
  if (sets.length) return { sets };
  const rules = rulesFromLines(lines);
  if (hint?.kind === 'claim-rules' && hint.trust) {
    sets.push({ trust: hint.trust, trustName: hint.trustName ?? null, trustFrom: 'command', rules, line: rules[0]?.line ?? lines[0]?.n ?? 1 });
    return { sets };
  }
  for (const part of splitByContent(rules))
    sets.push({ trust: part.trust, trustName: null, trustFrom: part.trust === 'unknown' ? 'none' : 'content', rules: part.rules, line: part.rules[0]?.line ?? lines[0]?.n ?? 1 });
  if (!sets.length) sets.push({ trust: 'unknown', trustName: null, trustFrom: 'none', rules: [], line: lines[0]?.n ?? 1 });
  return { sets };
}
