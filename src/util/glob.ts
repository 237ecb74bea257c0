/**
 * Redis' glob-style matcher (util.c stringmatchlen), used by KEYS, SCAN MATCH
 * and, later, pattern subscriptions: `*`, `?`, `[abc]`, `[^a-z]`, `\x`.
 * Works on latin1 strings (one char per byte), like the C version on bytes,
 * including its quirks (an unterminated `[` matches as if closed, a range may
 * be given backwards).
 */
export function globMatch(pattern: string, str: string, nocase = false): boolean {
  const skipLonger = { value: false };
  return matchImpl(pattern, 0, pattern.length, str, 0, str.length, nocase, skipLonger, 0);
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function matchImpl(
  pat: string, p: number, patLen: number,
  str: string, s: number, strLen: number,
  nocase: boolean, skipLonger: { value: boolean }, nesting: number,
): boolean {
  // Redis 7.0 caps recursion to protect the stack (it counts nesting the same way).
  if (nesting > 1000) return false;
  // Characters past the end read as NUL, as in the C string.
  const pc = (i: number) => (i < pat.length ? pat.charCodeAt(i) : 0);
  const sc = (i: number) => (i < str.length ? str.charCodeAt(i) : 0);
  while (patLen > 0 && strLen > 0) {
    switch (pc(p)) {
      case 42: /* '*' */ {
        while (patLen > 0 && pc(p + 1) === 42) {
          p++;
          patLen--;
        }
        if (patLen === 1) return true;
        while (strLen > 0) {
          if (matchImpl(pat, p + 1, patLen - 1, str, s, strLen, nocase, skipLonger, nesting + 1)) return true;
          if (skipLonger.value) return false;
          s++;
          strLen--;
        }
        skipLonger.value = true;
        return false;
      }
      case 63: /* '?' */
        s++;
        strLen--;
        break;
      case 91: /* '[' */ {
        p++;
        patLen--;
        const not = pc(p) === 94; /* '^' */
        if (not) {
          p++;
          patLen--;
        }
        let match = false;
        for (;;) {
          if (pc(p) === 92 && patLen >= 2) {
            p++;
            patLen--;
            if (pc(p) === sc(s)) match = true;
          } else if (pc(p) === 93) {
            break;
          } else if (patLen === 0) {
            p--;
            patLen++;
            break;
          } else if (patLen >= 3 && pc(p + 1) === 45) {
            let start = pc(p);
            let end = pc(p + 2);
            let c = sc(s);
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lower(start);
              end = lower(end);
              c = lower(c);
            }
            p += 2;
            patLen -= 2;
            if (c >= start && c <= end) match = true;
          } else if (nocase ? lower(pc(p)) === lower(sc(s)) : pc(p) === sc(s)) {
            match = true;
          }
          p++;
          patLen--;
        }
        if (not) match = !match;
        if (!match) return false;
        s++;
        strLen--;
        break;
      }
      default:
        if (pc(p) === 92 /* '\\' escapes the next char */ && patLen >= 2) {
          p++;
          patLen--;
        }
        if (nocase ? lower(pc(p)) !== lower(sc(s)) : pc(p) !== sc(s)) return false;
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
  return patLen === 0 && strLen === 0;
}
