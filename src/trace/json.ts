// Reading JSON text with an error a person can act on: JSON.parse decides, and when it
// refuses, a small scanner finds where (line and column) and what, because V8's own
// messages sometimes carry no position and sometimes quote the whole input over many lines.

export class JsonSyntaxError extends Error {
  constructor(readonly what: string, readonly line: number, readonly column: number) {
    super(`${what} at line ${line} column ${column}`);
    this.name = 'JsonSyntaxError';
  }
}

/** JSON.parse, but a syntax error is a JsonSyntaxError naming line and column (both from 1). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const found = locateJsonError(text);
    if (found) throw found;
    // The scanner saw no error where JSON.parse did: report V8's message, on one line.
    throw new JsonSyntaxError(String((e as Error).message).split('\n')[0], 1, 1);
  }
}

/** The first syntax error of `text` as JSON, or null when it is well-formed. */
export function locateJsonError(text: string): JsonSyntaxError | null {
  let i = 0;
  const fail = (what: string, at = i): never => {
    let line = 1;
    let col = 1;
    for (let k = 0; k < at && k < text.length; k++) {
      if (text[k] === '\n') { line++; col = 1; } else col++;
    }
    throw new JsonSyntaxError(what, line, col);
  };
  const unexpected = (expected?: string): never =>
    i >= text.length ? fail('unexpected end of input')
    : fail(expected ? `expected ${expected}, found ${describeChar(text[i])}` : `unexpected ${describeChar(text[i])}`);
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };

  const string = () => {
    const start = i;
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text[i];
      if (c === '"') { i++; return; }
      if (c < ' ') fail('control character in string');
      if (c === '\\') {
        i++;
        const e = text[i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape in string');
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail('bad escape in string');
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-') unexpected();
    i += m![0].length;
  };
  const literal = (word: string) => {
    for (const c of word) { if (text[i] !== c) unexpected(); i++; }
  };
  // A loop with an explicit stack, not recursion: nesting a million deep is still located
  // where it goes wrong (a recursive scanner would overflow the call stack first).
  const value = () => {
    const stack: ('{' | '[')[] = [];
    for (;;) {
      // a value starts here
      ws();
      const c = text[i];
      let opened = false;
      if (c === '{') {
        i++; ws();
        if (text[i] === '}') i++;
        else {
          if (text[i] !== '"') unexpected('a property name in double quotes');
          string(); ws();
          if (text[i] !== ':') unexpected("':' after a property name");
          i++;
          stack.push('{');
          opened = true;
        }
      } else if (c === '[') {
        i++; ws();
        if (text[i] === ']') i++;
        else {
          stack.push('[');
          opened = true;
        }
      } else if (c === '"') string();
      else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
      else if (c === 't') literal('true');
      else if (c === 'f') literal('false');
      else if (c === 'n') literal('null');
      else unexpected();
      if (opened) continue;
      // the value ended: close containers until one wants another value
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) return;
        ws();
        if (top === '{') {
          if (text[i] === ',') {
            i++; ws();
            if (text[i] !== '"') unexpected('a property name in double quotes');
            string(); ws();
            if (text[i] !== ':') unexpected("':' after a property name");
            i++;
            break;
          }
          if (text[i] === '}') { i++; stack.pop(); continue; }
          unexpected("',' or '}' after a property value");
        } else {
          if (text[i] === ',') { i++; break; }
          if (text[i] === ']') { i++; stack.pop(); continue; }
          unexpected("',' or ']' after a list item");
        }
      }
    }
  };

  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${describeChar(text[i])} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e;
    throw e;
  }
}

function describeChar(c: string): string {
  return c >= ' ' && c !== '\u007f' ? `'${c}'` : `character ${JSON.stringify(c)}`;
}
