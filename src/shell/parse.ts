// The teaching shell's command language: a small part of the POSIX shell's. Words with
// '...' and "..." quoting and backslash escapes, parameter expansion ($$, $?, $PPID, $HOME,
// ${NAME}), `# comments`, lists joined by `;`, `&&` and `||`, and pipelines `a | b`.
// Everything else a real shell would take (redirections, `&`, `$(...)`, globbing) is a
// clear "not supported" message, never a guess.

/** Part of a word: literal text, a parameter to expand when the command runs, or an unquoted glob character (* ? [). */
export type WordPart = { lit: string } | { param: string } | { glob: string };
export type Word = WordPart[];

/** Commands joined by `|`. */
export type Pipeline = Word[][];

/** A command line: pipelines joined by `;`, `&&`, `||` (the operator before each, `;` for the first). */
export type CommandList = { op: ';' | '&&' | '||'; pipeline: Pipeline }[];

export class SyntaxError extends Error {}

const SPECIAL_PARAMS = new Set(['$', '?', '#', '0', '!', '-', '*', '@']);

/** Parse one line. Throws SyntaxError with the message a shell would give (without its prefix). */
export function parseLine(line: string): CommandList {
  const list: CommandList = [];
  let pipeline: Pipeline = [];
  let command: Word[] = [];
  let op: ';' | '&&' | '||' = ';';
  let i = 0;

  const endCommand = (token: string) => {
    if (command.length === 0) throw new SyntaxError(`syntax error near unexpected token \`${token}'`);
    pipeline.push(command);
    command = [];
  };
  const endPipeline = (token: string, next: ';' | '&&' | '||') => {
    if (command.length === 0 && pipeline.length === 0 && token === ';') {
      throw new SyntaxError(`syntax error near unexpected token \`${token}'`);
    }
    endCommand(token);
    list.push({ op, pipeline });
    pipeline = [];
    op = next;
  };

  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '#') break;
    if (c === ';') { endPipeline(';', ';'); i++; continue; }
    if (c === '&' && line[i + 1] === '&') { endPipeline('&&', '&&'); i += 2; continue; }
    if (c === '|' && line[i + 1] === '|') { endPipeline('||', '||'); i += 2; continue; }
    if (c === '|') { endCommand('|'); i++; continue; }
    if (c === '&') throw new SyntaxError('background jobs (&) are not supported by this shell');
    if (c === '>' || c === '<') throw new SyntaxError('redirections are not supported by this shell');
    const [word, next] = readWord(line, i);
    command.push(word);
    i = next;
  }
  if (command.length > 0 || pipeline.length > 0) {
    endCommand(pipeline.length > 0 ? '|' : 'newline');
    list.push({ op, pipeline });
  } else if (list.length > 0 && op !== ';') {
    throw new SyntaxError('syntax error: unexpected end of file');
  }
  return list;
}

function readWord(line: string, start: number): [Word, number] {
  const parts: WordPart[] = [];
  let lit = '';
  const flush = () => { if (lit) { parts.push({ lit }); lit = ''; } };
  let i = start;
  let quotedEmpty = false;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === ';' || c === '|' || c === '&' || c === '>' || c === '<') break;
    if (c === '\\') {
      if (i + 1 < line.length) lit += line[i + 1];
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new SyntaxError("unexpected EOF while looking for matching `''");
      lit += line.slice(i + 1, end);
      quotedEmpty = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length && '$`"\\'.includes(line[i + 1])) {
          lit += line[i + 1];
          i += 2;
        } else if (line[i] === '$') {
          const [param, next] = readParam(line, i);
          if (param === null) { lit += '$'; i++; } else { flush(); parts.push({ param }); i = next; }
        } else if (line[i] === '`') {
          throw new SyntaxError('command substitution is not supported by this shell');
        } else {
          lit += line[i++];
        }
      }
      if (i >= line.length) throw new SyntaxError('unexpected EOF while looking for matching `"\'');
      quotedEmpty = true;
      i++;
      continue;
    }
    if (c === '$') {
      const [param, next] = readParam(line, i);
      if (param === null) { lit += '$'; i++; continue; }
      flush();
      parts.push({ param });
      i = next;
      continue;
    }
    if (c === '`') throw new SyntaxError('command substitution is not supported by this shell');
    if (c === '*' || c === '?' || c === '[') {
      flush();
      parts.push({ glob: c });
      i++;
      continue;
    }
    lit += c;
    i++;
  }
  flush();
  if (parts.length === 0 && quotedEmpty) parts.push({ lit: '' });
  return [parts, i];
}

/** A parameter at line[i] == '$': its name and where it ends, or null for a lone '$'. */
function readParam(line: string, i: number): [string | null, number] {
  const c = line[i + 1];
  if (c === undefined) return [null, i + 1];
  if (c === '(') throw new SyntaxError('command substitution is not supported by this shell');
  if (c === '{') {
    const end = line.indexOf('}', i + 2);
    if (end < 0) throw new SyntaxError("unexpected EOF while looking for matching `}'");
    const name = line.slice(i + 2, end);
    if (!/^([A-Za-z_][A-Za-z0-9_]*|[$?#0!*@-])$/.test(name)) throw new SyntaxError(`\${${name}}: bad substitution`);
    return [name, end + 1];
  }
  if (SPECIAL_PARAMS.has(c)) return [c, i + 2];
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i + 1));
  if (!m) return [null, i + 1];
  return [m[0], i + 1 + m[0].length];
}

/** A word with its parameters expanded (no field splitting: no value has blanks here); glob characters stay as typed. */
export function expandWord(word: Word, lookup: (name: string) => string): string {
  return word.map((p) => ('lit' in p ? p.lit : 'glob' in p ? p.glob : lookup(p.param))).join('');
}

/**
 * The pattern of a word with unquoted glob characters, one RegExp per path component (null
 * when the word has none): `*` any string, `?` one character, `[...]` a class (`[!...]`
 * negated); quoted and expanded text is literal.
 */
export function globPattern(word: Word, lookup: (name: string) => string): RegExp[] | null {
  if (!word.some((p) => 'glob' in p)) return null;
  // characters, each literal or a glob character
  const chars: { c: string; glob: boolean }[] = [];
  for (const p of word) {
    if ('glob' in p) chars.push({ c: p.glob, glob: true });
    else for (const c of 'lit' in p ? p.lit : lookup(p.param)) chars.push({ c, glob: false });
  }
  const comps: string[] = [''];
  const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  for (let i = 0; i < chars.length; i++) {
    const { c, glob } = chars[i];
    if (!glob) {
      if (c === '/') comps.push(''); else comps[comps.length - 1] += esc(c);
      continue;
    }
    if (c === '*') { comps[comps.length - 1] += '[^/]*'; continue; }
    if (c === '?') { comps[comps.length - 1] += '[^/]'; continue; }
    // '[': a class up to the next ']' (not the first character of it)
    let j = i + 1;
    let body = '';
    if (chars[j] && !chars[j].glob && (chars[j].c === '!' || chars[j].c === '^')) { body += '^'; j++; }
    if (chars[j] && chars[j].c === ']') { body += '\\]'; j++; }
    while (j < chars.length && !(chars[j].c === ']' && !chars[j].glob)) {
      body += chars[j].c === '\\' ? '\\\\' : chars[j].c;
      j++;
    }
    if (j >= chars.length) { comps[comps.length - 1] += '\\['; continue; }
    comps[comps.length - 1] += `[${body}]`;
    i = j;
  }
  return comps.map((c) => new RegExp(`^${c}$`));
}
