/**
 * Redis' glob-style matcher (util.c stringmatchlen in 7.0), used by KEYS,
 * SCAN MATCH and, later, pattern subscriptions: `*`, `?`, `[abc]`, `[^a-z]`,
 * `\x`. Works on latin1 strings (one char per byte), like the C version on
 * bytes, including its quirks:
 * - an unterminated `[` matches as if closed; a range may be given backwards;
 * - bytes are C `char`, signed on x86-64, so in a range 0x80..0xff sort below
 *   0x00 (`[a-\xff]` is the range -1..97);
 * - past the end of the pattern the C code reads the terminating NUL;
 * - a pattern never matches the empty string unless it is empty (`*` does
 *   not match "": the main loop needs a char of both).
 *
 * The C function recurses once per `*`; here the pending `*` loops live on an
 * explicit stack, so long patterns cannot overflow the JS stack (Redis 7.0.15
 * has no nesting limit either). `skipLonger` is the early exit Redis added
 * for CVE-2022-36021: once the rest of the pattern failed at every position,
 * no earlier `*` can make it match.
 */
export function globMatch(pattern: string, str: string, nocase = false): boolean {
  const patEnd = pattern.length;
  const strEnd = str.length;
  const pc = (i: number): number => (i < patEnd ? pattern.charCodeAt(i) : 0);
  const sc = (i: number): number => (i < strEnd ? str.charCodeAt(i) : 0);
  const eq = (a: number, b: number): boolean => (nocase ? cLower(a) === cLower(b) : a === b);
  // Pending '*' loops, four numbers each: pattern position of the '*' and its
  // remaining length, string position and remaining length of the next try.
  const stack: number[] = [];
  let skipLonger = false;
  let p = 0;
  let patLen = patEnd;
  let s = 0;
  let strLen = strEnd;

  for (;;) {
    // One call of stringmatchlen_impl(p, patLen, s, strLen), up to its result or to a '*' that recurses.
    let result: boolean | null = null;
    scan: while (patLen > 0 && strLen > 0) {
      switch (pc(p)) {
        case 42 /* '*' */: {
          while (patLen > 0 && pc(p + 1) === 42) {
            p++;
            patLen--;
          }
          if (patLen === 1) {
            result = true;
            break scan;
          }
          // Try the rest of the pattern from here; on failure the loop below moves s on.
          stack.push(p, patLen, s, strLen);
          p++;
          patLen--;
          continue scan;
        }
        case 63 /* '?' */:
          s++;
          strLen--;
          break;
        case 91 /* '[' */: {
          p++;
          patLen--;
          const not = pc(p) === 94; /* '^' */
          if (not) {
            p++;
            patLen--;
          }
          let match = false;
          for (;;) {
            if (pc(p) === 92 /* '\\' */ && patLen >= 2) {
              p++;
              patLen--;
              if (pc(p) === sc(s)) match = true;
            } else if (pc(p) === 93 /* ']' */) {
              break;
            } else if (patLen === 0) {
              p--;
              patLen++;
              break;
            } else if (patLen >= 3 && pc(p + 1) === 45 /* '-' */) {
              let start = cChar(pc(p));
              let end = cChar(pc(p + 2));
              let c = cChar(sc(s));
              if (start > end) {
                const t = start;
                start = end;
                end = t;
              }
              if (nocase) {
                start = cLower(start);
                end = cLower(end);
                c = cLower(c);
              }
              p += 2;
              patLen -= 2;
              if (c >= start && c <= end) match = true;
            } else if (eq(pc(p), sc(s))) {
              match = true;
            }
            p++;
            patLen--;
          }
          if (not) match = !match;
          if (!match) {
            result = false;
            break scan;
          }
          s++;
          strLen--;
          break;
        }
        default:
          // '\\' escapes the next char (a trailing one matches itself).
          if (pc(p) === 92 && patLen >= 2) {
            p++;
            patLen--;
          }
          if (!eq(pc(p), sc(s))) {
            result = false;
            break scan;
          }
          s++;
          strLen--;
          break;
      }
      p++;
      patLen--;
      if (strLen === 0) {
        while (pc(p) === 42) {
          p++;
          patLen--;
        }
        break;
      }
    }
    if (result === null) result = patLen === 0 && strLen === 0;

    // Return `result` to the pending '*' loops, innermost first.
    for (;;) {
      const top = stack.length - 4;
      if (top < 0) return result;
      if (result || skipLonger) {
        stack.length = top;
        continue;
      }
      const nextS = stack[top + 2] + 1;
      const nextLen = stack[top + 3] - 1;
      if (nextLen === 0) {
        // The rest failed from every position: no shorter '*' match can help.
        skipLonger = true;
        stack.length = top;
        continue;
      }
      stack[top + 2] = nextS;
      stack[top + 3] = nextLen;
      p = stack[top] + 1;
      patLen = stack[top + 1] - 1;
      s = nextS;
      strLen = nextLen;
      break;
    }
  }
}

/** A byte as x86-64's signed `char`. */
function cChar(c: number): number {
  return c >= 128 ? c - 256 : c;
}

/**
 * glibc's tolower() in the C locale on an int: A-Z to a-z; a negative
 * (signed char) value other than EOF (-1) comes back as its unsigned byte.
 */
function cLower(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  if (c < -1) return c + 256;
  return c;
}
