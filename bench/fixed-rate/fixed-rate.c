/*
 * Open-loop load at a fixed rate, for latency at a given throughput (issue 5:
 * "latency at a fixed rate of half of redis-server's measured maximum").
 *
 * redis-benchmark is closed-loop: each client sends its next request when the
 * previous reply arrives, so a slow server is simply sent less, and its queue
 * delays are not seen (coordinated omission). Here request k is due at
 * start + k / rate whatever happened before, spread round-robin over the
 * connections, and its latency runs from that due time to its reply. A Node
 * generator on the same 2-core machine could not keep the schedule (timers
 * slip by up to a millisecond, and polling eats the core the servers need),
 * hence this small C program: one thread, epoll_pwait2 with a nanosecond
 * timeout until the next due time, and a few percent of a core at 50k req/s.
 *
 * usage: fixed-rate HOST PORT RATE SECONDS WARMUP_SECONDS CONNECTIONS KEYSPACE get|set
 * prints one JSON line: {"sent":..,"received":..,"rate":..,"p50_us":..,"p99_us":..,"p999_us":..,"max_us":..}
 * (latency percentiles of the replies to requests due after the warm-up).
 *
 * Built by bench/latency.ts with the system's C compiler (cc -O2) into dist/bench/.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 1024
#define INBUF (256 * 1024)

typedef struct {
  int fd;
  /* Due times (ns) of the requests sent and not yet answered, a ring. */
  int64_t *due;
  int cap, head, count;
  /* Unparsed reply bytes. */
  char *in;
  int inlen;
} conn_t;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* Length of the first complete RESP reply in buf (simple types and bulks: what GET and SET answer), 0 if incomplete, -1 if unknown. */
static int reply_len(const char *buf, int len) {
  const char *cr = memchr(buf, '\r', len);
  if (cr == NULL || cr + 1 >= buf + len) return 0;
  int line = (int)(cr - buf) + 2;
  switch (buf[0]) {
    case '+': case '-': case ':': return line;
    case '$': {
      long n = strtol(buf + 1, NULL, 10);
      if (n < 0) return line;
      return line + n + 2 <= len ? line + (int)n + 2 : 0;
    }
    default: return -1;
  }
}

static void die(const char *what) {
  perror(what);
  exit(2);
}

int main(int argc, char **argv) {
  if (argc != 9) {
    fprintf(stderr, "usage: fixed-rate HOST PORT RATE SECONDS WARMUP_SECONDS CONNECTIONS KEYSPACE get|set\n");
    return 2;
  }
  const char *host = argv[1];
  int port = atoi(argv[2]);
  double rate = atof(argv[3]);
  double seconds = atof(argv[4]);
  double warmup = atof(argv[5]);
  int nconns = atoi(argv[6]);
  long keyspace = atol(argv[7]);
  int is_set = strcmp(argv[8], "set") == 0;
  if (nconns < 1 || nconns > MAX_CONNS || rate <= 0 || keyspace < 1) {
    fprintf(stderr, "bad arguments\n");
    return 2;
  }

  int ep = epoll_create1(0);
  if (ep < 0) die("epoll_create1");
  conn_t *conns = calloc(nconns, sizeof(conn_t));
  for (int i = 0; i < nconns; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, host, &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    conns[i].fd = fd;
    conns[i].cap = 1 << 16;
    conns[i].due = malloc(sizeof(int64_t) * conns[i].cap);
    conns[i].in = malloc(INBUF);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
  }

  const int64_t interval = (int64_t)(1e9 / rate);
  const int64_t start = now_ns() + 10000000LL; /* 10 ms to settle */
  const int64_t measure_from = start + (int64_t)(warmup * 1e9);
  const int64_t stop_sending = start + (int64_t)((warmup + seconds) * 1e9);
  const int64_t hard_stop = stop_sending + 5000000000LL; /* wait at most 5 s for the last replies */
  long total = (long)((warmup + seconds) * rate) + 16;
  int64_t *lat = malloc(sizeof(int64_t) * total);
  long nlat = 0, sent = 0, received = 0, outstanding = 0, errors = 0;
  int64_t next_due = start;
  unsigned long long rng = 88172645463325252ULL;
  char cmd[256];
  struct epoll_event events[64];

  for (;;) {
    int64_t now = now_ns();
    /* Send everything due by now (if the machine stalled, the backlog goes out at once, as an open-loop client would). */
    while (next_due <= now && next_due < stop_sending) {
      conn_t *c = &conns[sent % nconns];
      rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
      char key[32];
      int klen = snprintf(key, sizeof key, "key:%012lu", (unsigned long)(rng % (unsigned long long)keyspace));
      int n = is_set ? snprintf(cmd, sizeof cmd, "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$3\r\nxxx\r\n", klen, key)
                     : snprintf(cmd, sizeof cmd, "*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n", klen, key);
      ssize_t w = write(c->fd, cmd, n);
      if (w != n) { errors++; } /* a full socket buffer at these rates means the server is gone */
      if (c->count == c->cap) { fprintf(stderr, "too many outstanding requests on one connection\n"); return 2; }
      c->due[(c->head + c->count) % c->cap] = next_due;
      c->count++;
      sent++;
      outstanding++;
      next_due += interval;
    }
    if (now >= stop_sending && outstanding == 0) break;
    if (now >= hard_stop) break;
    int64_t wake = next_due < stop_sending ? next_due : hard_stop;
    int64_t wait = wake - now;
    if (wait < 0) wait = 0;
    struct timespec ts = {.tv_sec = wait / 1000000000LL, .tv_nsec = wait % 1000000000LL};
    int ne = epoll_pwait2(ep, events, 64, &ts, NULL);
    if (ne < 0 && errno != EINTR) die("epoll_pwait2");
    if (ne <= 0) continue;
    int64_t t = now_ns();
    for (int e = 0; e < ne; e++) {
      conn_t *c = &conns[events[e].data.u32];
      ssize_t r = read(c->fd, c->in + c->inlen, INBUF - c->inlen);
      if (r <= 0) {
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        fprintf(stderr, "connection closed by the server\n");
        return 2;
      }
      c->inlen += (int)r;
      int p = 0;
      for (;;) {
        int l = reply_len(c->in + p, c->inlen - p);
        if (l < 0) { fprintf(stderr, "unexpected reply\n"); return 2; }
        if (l == 0) break;
        if (c->in[p] == '-') errors++;
        p += l;
        if (c->count == 0) { fprintf(stderr, "reply without a request\n"); return 2; }
        int64_t due = c->due[c->head];
        c->head = (c->head + 1) % c->cap;
        c->count--;
        outstanding--;
        received++;
        if (due >= measure_from && nlat < total) lat[nlat++] = t - due;
      }
      memmove(c->in, c->in + p, c->inlen - p);
      c->inlen -= p;
    }
  }

  qsort(lat, nlat, sizeof(int64_t), cmp_i64);
#define PCT(q) (nlat ? lat[(long)((q) * (nlat - 1))] / 1000.0 : 0.0)
  printf("{\"sent\":%ld,\"received\":%ld,\"errors\":%ld,\"measured\":%ld,\"rate\":%.0f,\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f}\n",
         sent, received, errors, nlat, rate, PCT(0.5), PCT(0.99), PCT(0.999), nlat ? lat[nlat - 1] / 1000.0 : 0.0);
  return 0;
}
