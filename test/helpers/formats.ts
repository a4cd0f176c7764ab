// Checks of the report formats that need no library: KTAP's structure, XML's well-formedness.

/** KTAP/TAP 13: the version line, one plan, result lines numbered 1..N in order, and the totals. */
export function parseKtap(text: string) {
  const lines = text.split('\n').filter((l) => l !== '');
  const version = lines[0];
  const plans = lines.filter((l) => /^1\.\.\d+$/.test(l));
  const results = lines.filter((l) => /^(not )?ok \d+ /.test(l));
  const other = lines.filter((l, i) => i > 0 && !l.startsWith('#') && !/^1\.\.\d+$/.test(l) && !/^(not )?ok \d+ /.test(l));
  const numbers = results.map((l) => Number(/^(?:not )?ok (\d+)/.exec(l)![1]));
  const totals = /^# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) xpass:(\d+) skip:(\d+) error:(\d+)$/m.exec(text);
  return {
    version,
    plan: plans.length === 1 ? Number(plans[0].slice(3)) : NaN,
    plans: plans.length,
    results,
    numbers,
    ok: results.filter((l) => l.startsWith('ok ') && !/ # SKIP/.test(l)).length,
    notOk: results.filter((l) => l.startsWith('not ok ')).length,
    skip: results.filter((l) => / # SKIP/.test(l)).length,
    other,
    totals: totals ? { pass: +totals[1], fail: +totals[2], xfail: +totals[3], xpass: +totals[4], skip: +totals[5], error: +totals[6] } : undefined,
  };
}

export interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string }

/** A small XML parser that throws unless the document is well-formed (enough for JUnit reports). */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => { throw new Error(`XML: ${why} at offset ${i}: ${JSON.stringify(text.slice(i, i + 40))}`); };
  const decode = (s: string) => {
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(s)) fail('bad entity');
    if (/</.test(s)) fail("'<' in text");
    return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  };
  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end < 0) fail('unterminated declaration');
    i = end + 2;
  }
  const skipSpace = () => { while (/\s/.test(text[i] ?? '')) i++; };
  const element = (): XmlElement => {
    if (text[i] !== '<') fail("expected '<'");
    i++;
    const name = /^[A-Za-z_][\w.-]*/.exec(text.slice(i))?.[0] ?? fail('bad element name');
    i += name.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (text.startsWith('/>', i)) { i += 2; return { name, attrs, children: [], text: '' }; }
      if (text[i] === '>') { i++; break; }
      const m = /^([A-Za-z_][\w.:-]*)="([^"<]*)"/.exec(text.slice(i)) ?? fail('bad attribute');
      if (m[1] in attrs) fail(`attribute ${m[1]} twice`);
      attrs[m[1]] = decode(m[2]);
      i += m[0].length;
    }
    const children: XmlElement[] = [];
    let body = '';
    for (;;) {
      if (i >= text.length) fail(`unclosed <${name}>`);
      if (text.startsWith('</', i)) {
        const close = `</${name}>`;
        if (!text.startsWith(close, i)) fail(`expected ${close}`);
        i += close.length;
        return { name, attrs, children, text: decode(body) };
      }
      if (text[i] === '<') children.push(element());
      else { const next = text.indexOf('<', i); body += text.slice(i, next < 0 ? text.length : next); i = next < 0 ? text.length : next; }
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== text.length) fail('content after the root element');
  return root;
}
