import { type FoundAtoms, IN_BODY, IN_TITLE } from './found-atoms.js';
import type { RuleNode, TextNode } from './rule-ast.js';

/*
 * A rule tree flattened into one shared Int32Array, in prefix order, so evaluating a
 * candidate rule reads a few contiguous integers instead of chasing objects:
 *
 *   TEXT atom fieldMask termId     term or phrase; fieldMask 1 = title, 2 = body
 *   AND count end                  `end` is where the node's code stops (to skip on false)
 *   OR count
 *   NOT                            followed by its child
 *   TYPE kind                      0 post, 1 comment
 *   SUBREDDIT nameId / AUTHOR nameId
 */

// An enum, so that each use here is a number literal (see TriggerEntry in matcher-runtime.ts).
export enum Op {
  TEXT = 0,
  AND = 1,
  OR = 2,
  NOT = 3,
  TYPE = 4,
  SUBREDDIT = 5,
  AUTHOR = 6,
}

// The same bits as found-atoms.ts uses for where an atom was found.
const FIELD_TITLE = IN_TITLE;
const FIELD_BODY = IN_BODY;

export interface ProgramContext {
  atomOf(node: TextNode): number;
  /** A small id for the term as the user wrote it (equal strings, equal ids). */
  termOf(source: string): number;
  /** A small id for a lower-case subreddit or author name. */
  nameOf(name: string): number;
}

/** Appends the code of `node` to `code`. */
export function emitRule(node: RuleNode, ctx: ProgramContext, code: number[]): void {
  switch (node.kind) {
    case 'text': {
      const mask = node.field === 'title' ? FIELD_TITLE : node.field === 'body' ? FIELD_BODY : FIELD_TITLE | FIELD_BODY;
      code.push(Op.TEXT, ctx.atomOf(node), mask, ctx.termOf(node.source));
      return;
    }
    case 'filter':
      if (node.field === 'type') code.push(Op.TYPE, node.value === 'post' ? 0 : 1);
      else code.push(node.field === 'subreddit' ? Op.SUBREDDIT : Op.AUTHOR, ctx.nameOf(node.value));
      return;
    case 'not':
      code.push(Op.NOT);
      emitRule(node.child, ctx, code);
      return;
    case 'or':
      code.push(Op.OR, node.children.length);
      for (const c of node.children) emitRule(c, ctx, code);
      return;
    case 'and': {
      code.push(Op.AND, node.children.length, 0);
      const endAt = code.length - 1;
      for (const c of node.children) emitRule(c, ctx, code);
      code[endAt] = code.length;
      return;
    }
  }
}

/** The item as rule code sees it; reset for each item by the matcher. */
export interface ProgramInput {
  found: FoundAtoms;
  /** 0 post, 1 comment. */
  kind: number;
  /** Interned ids of the item's subreddit and author, -1 when no rule names them. */
  subreddit: number;
  author: number;
}

/** Evaluates rule code, collecting the term ids of the parts that made it true. */
export class RuleEvaluator {
  private pc = 0;
  private terms = new Int32Array(64);
  /** How many terms were collected since reset(). */
  termCount = 0;

  constructor(
    private readonly code: Int32Array,
    private readonly input: ProgramInput,
  ) {}

  /** Forgets the collected terms (before each campaign). */
  reset(): void {
    this.termCount = 0;
  }

  /** Appends a term matched without evaluating code (an exact trigger). */
  addTerm(term: number): void {
    if (this.termCount === this.terms.length) {
      const grown = new Int32Array(this.terms.length * 2);
      grown.set(this.terms);
      this.terms = grown;
    }
    this.terms[this.termCount++] = term;
  }

  term(i: number): number {
    return this.terms[i]!;
  }

  /** Whether the rule whose code starts at `start` holds; its terms are appended when it does. */
  holds(start: number): boolean {
    this.pc = start;
    return this.run();
  }

  private run(): boolean {
    const code = this.code;
    const pc = this.pc;
    switch (code[pc]!) {
      case Op.TEXT: {
        const atom = code[pc + 1]!;
        const mask = code[pc + 2]!;
        const term = code[pc + 3]!;
        this.pc = pc + 4;
        const ok = (this.input.found.fieldsOf(atom) & mask) !== 0;
        if (ok) this.addTerm(term);
        return ok;
      }
      case Op.AND: {
        const count = code[pc + 1]!;
        const end = code[pc + 2]!;
        this.pc = pc + 3;
        const mark = this.termCount;
        for (let i = 0; i < count; i++) {
          if (!this.run()) {
            this.termCount = mark;
            this.pc = end;
            return false;
          }
        }
        return true;
      }
      case Op.OR: {
        const count = code[pc + 1]!;
        this.pc = pc + 2;
        let any = false;
        for (let i = 0; i < count; i++) if (this.run()) any = true;
        return any;
      }
      case Op.NOT: {
        this.pc = pc + 1;
        const mark = this.termCount;
        const inner = this.run();
        this.termCount = mark;
        return !inner;
      }
      case Op.TYPE:
        this.pc = pc + 2;
        return code[pc + 1] === this.input.kind;
      case Op.SUBREDDIT:
        this.pc = pc + 2;
        return code[pc + 1] === this.input.subreddit;
      default:
        this.pc = pc + 2;
        return code[pc + 1] === this.input.author;
    }
  }
}
