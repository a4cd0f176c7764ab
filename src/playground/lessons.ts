// The lesson menu: the scenarios of sim/scenarios/ (the seed article's listings first), each a
// list of command lines with the comments above each as its explanation. The build puts the
// scenario files' text into the page (scripts/build.mjs); parsing is the shell's own.

import { parseScenario } from '../shell/scenario.js';
import type { Setup } from '../trace/types.js';

export interface LessonStep {
  command: string;
  /** The comment lines just above the command, without '#'. */
  explanation: string;
}

export interface Lesson {
  id: string;
  title: string;
  /** The first comment block: what the lesson is about. */
  intro: string;
  setup: Setup;
  steps: LessonStep[];
}

/** The seed article's listings, in the article's order; then the other scenarios by name. */
export const ARTICLE_ORDER = ['uts-hostname', 'clone-uts', 'unshare-program', 'setns-nsenter'];

export function lessonFrom(id: string, text: string): Lesson {
  const sc = parseScenario(text);
  const steps: LessonStep[] = [];
  let comments: string[] = [];
  let intro: string[] | null = null;
  for (const raw of sc.script.split('\n')) {
    const line = raw.trimEnd();
    if (line === '') continue;
    if (line.startsWith('#')) {
      comments.push(line.replace(/^#\s?/, ''));
      continue;
    }
    if (intro === null) {
      intro = comments;
      comments = [];
    }
    steps.push({ command: line, explanation: comments.join(' ') });
    comments = [];
  }
  const introText = (intro ?? comments).join(' ');
  const title = introText.split(/(?<=[.:])\s/)[0].replace(/[.:]$/, '') || id;
  return { id, title, intro: introText, setup: sc.setup, steps };
}

/** The lessons from the scenario files' texts, by file name (without .sh). */
export function lessonsFrom(files: Record<string, string>): Lesson[] {
  const ids = Object.keys(files).sort((a, b) => {
    const ia = ARTICLE_ORDER.indexOf(a), ib = ARTICLE_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  return ids.map((id) => lessonFrom(id, files[id]));
}
