// loadgen: the client side of scripts/bench. It opens N EventSource connections
// to a server on this machine and times, per connection, the arrival of the first
// frame that carries a marker (`"action":"built"`, say) after a trigger.
//
// It must never be the bottleneck it measures, so it is one epoll loop with one
// shared read buffer, and per connection it keeps 12 bytes of scan state (where
// it is in the head, how much of the marker it has matched, whether the last byte
// ended a line), never the stream itself: a frame may straddle any number of
// reads. Markers are found with memmem and frame ends with memchr, so a 7.5 KB
// frame costs well under a microsecond of scanning on top of its read(). It
// reports its own CPU (getrusage) for every phase, so that can be checked.
//
// Connections are spread round-robin over source addresses 127.0.0.1, .2, ...
// (bound before connect, with IP_BIND_ADDRESS_NO_PORT so that the port is chosen
// at connect time, per 4-tuple) when N would need more ports than one address
// has, when connect() says EADDRNOTAVAIL, or when --sources asks. "More ports than
// one address has" is half the ephemeral range: Linux gives connect() the even
// ports first and, once those towards one destination are taken, scans all of
// them on every further connect (measured: 4.8 s of loadgen CPU for 19,728
// connections from one address, 0.6 s for 10,000). Every connection is
// ended with a reset (SO_LINGER 0), so a run leaves no TIME_WAIT behind to starve
// the next one of ports.
//
//   loadgen --port P [--host 127.0.0.1] [--path /__hmr] [-n N] [--concurrency C]
//           [--ready MARKER] [--sources K] [--timeout MS]
//   loadgen stamp FILE     write CLOCK_MONOTONIC in ns to FILE (a build's last act)
//
// Once every connection has its response head and a frame with the ready marker
// (hmrd's `sync`), or has failed, it prints one JSON line ("event":"connected",
// with the time each took to be ready: a connection storm when C = N). Then it
// answers commands on stdin, one JSON line each, while it keeps reading every
// stream (so it also holds idle streams through their heartbeats):
//
//   trigger write PATH MARKER TIMEOUT_MS    write PATH (a watched file), then time MARKER
//   trigger connect PORT MARKER TIMEOUT_MS  send "go\n" to a control port, then time MARKER
//   trigger none MARKER TIMEOUT_MS          time MARKER from now (someone else triggers)
//   stats                                   streams open and lost, frames, bytes, own CPU
//   quit                                    reset every connection and exit (also on EOF)
//
// Times in a round are from the trigger (taken just before the write) to the end
// of the first complete frame after it that carries the marker, per connection.

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

/// One read takes at most this much; a whole frame of a 200-entry map fits.
#define READ_BUFFER (256 * 1024)
/// Events taken from epoll per wait.
#define EVENT_BATCH 4096
/// Connections opened between two looks at epoll while connecting, so answers
/// are read as they come rather than after every connect has been issued.
#define CONNECT_BATCH 64
/// Ephemeral ports one source address leaves to others on the machine.
#define PORT_MARGIN 1024
/// Source addresses 127.0.0.1 .. 127.0.0.MAX_SOURCES.
#define MAX_SOURCES 250
#define MAX_MARKER 200

enum state {
    S_IDLE,        // not opened yet
    S_CONNECTING,  // connect() issued, waiting for EPOLLOUT
    S_HEAD,        // request sent, reading the response head
    S_WAIT_READY,  // head read, waiting for the ready marker
    S_READY,       // holding the stream
    S_ARMED,       // in a round, waiting for the round's marker
    S_DONE,        // in a round, marker arrived
    S_FAILED,      // never became ready
    S_LOST,        // closed after it was ready
};

enum { F_NEWLINE = 1, F_MATCH = 2 };

struct conn {
    uint32_t t_us;    // ready time from the start, then arrival time in a round
    uint16_t mpos;    // marker bytes matched so far (KMP state)
    uint16_t status;  // HTTP status code, from the head
    uint8_t state;
    uint8_t flags;
    uint8_t hcount;   // head bytes seen (saturates), to find the status digits
    uint8_t hend;     // progress through "\r\n\r\n"
};

struct marker {
    char s[MAX_MARKER + 1];
    uint16_t len;
    uint16_t fail[MAX_MARKER];
};

static struct conn *conns;
static int *fds;
static int n_conns;
static int epfd;
static char *rbuf;

static struct marker ready_marker, round_marker;
static struct sockaddr_in server;
static char request[512];
static int request_len;
static int sources = 0;        // > 1: bind round-robin over this many addresses
static int source_shift = 0;   // addresses skipped after EADDRNOTAVAIL

static uint64_t frames_total, bytes_total;
static int ready_count, failed_count, lost_count, done_count, armed_count, open_count;
static int fail_refused, fail_status, fail_closed, fail_other;
static uint64_t ready_base_ns, round_base_ns;
static int ctl_fd = -1;
static int round_no;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double cpu_ms(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void die(const char *what) {
    fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void marker_set(struct marker *m, const char *s) {
    size_t len = strlen(s);
    if (len == 0 || len > MAX_MARKER) {
        fprintf(stderr, "loadgen: a marker is 1 to %d bytes\n", MAX_MARKER);
        exit(2);
    }
    memcpy(m->s, s, len + 1);
    m->len = (uint16_t)len;
    // KMP failure function: the longest proper prefix that is also a suffix.
    m->fail[0] = 0;
    for (size_t i = 1, k = 0; i < len; i++) {
        while (k > 0 && s[i] != s[k]) k = m->fail[k - 1];
        if (s[i] == s[k]) k++;
        m->fail[i] = (uint16_t)k;
    }
}

static inline uint16_t marker_step(const struct marker *m, uint16_t k, char ch) {
    while (k > 0 && m->s[k] != ch) k = m->fail[k - 1];
    if (m->s[k] == ch) k++;
    return k;
}

/// Scans [p, e), which lies inside one frame, for the connection's marker.
static void scan_marker(struct conn *c, const char *p, const char *e) {
    const struct marker *m = c->state == S_ARMED ? &round_marker : &ready_marker;
    // A match begun in an earlier read: go on byte by byte until it resolves.
    while (c->mpos > 0 && p < e) {
        c->mpos = marker_step(m, c->mpos, *p++);
        if (c->mpos == m->len) {
            c->flags |= F_MATCH;
            c->mpos = 0;
            return;
        }
    }
    if (p == e) return;
    if (memmem(p, (size_t)(e - p), m->s, m->len)) {
        c->flags |= F_MATCH;
        return;
    }
    // No match here; a match may begin in the last len-1 bytes and end in the next read.
    size_t tail = (size_t)(e - p) < (size_t)(m->len - 1) ? (size_t)(e - p) : (size_t)(m->len - 1);
    uint16_t k = 0;
    for (const char *t = e - tail; t < e; t++) k = marker_step(m, k, *t);
    c->mpos = k;
}

static void conn_close(int i, bool reset) {
    if (fds[i] < 0) return;
    if (reset) {
        struct linger lg = {1, 0};
        setsockopt(fds[i], SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    close(fds[i]);
    fds[i] = -1;
    open_count--;
}

static void conn_fail(int i, int *reason) {
    conn_close(i, true);
    conns[i].state = S_FAILED;
    failed_count++;
    (*reason)++;
}

static void frame_ended(struct conn *c, uint64_t *now) {
    frames_total++;
    if (c->flags & F_MATCH) {
        if (*now == 0) *now = now_ns();
        if (c->state == S_WAIT_READY) {
            c->state = S_READY;
            c->t_us = (uint32_t)((*now - ready_base_ns) / 1000);
            ready_count++;
        } else if (c->state == S_ARMED) {
            c->state = S_DONE;
            c->t_us = (uint32_t)((*now - round_base_ns) / 1000);
            done_count++;
        }
    }
    c->flags &= (uint8_t)~F_MATCH;
    c->mpos = 0;
}

/// Feeds one read to a connection: the head first, then frames.
static void scan(int i, const char *p, size_t n) {
    struct conn *c = &conns[i];
    const char *end = p + n;
    while (c->state == S_HEAD && p < end) {
        char ch = *p++;
        if (c->hcount < 255) c->hcount++;
        if (c->hcount >= 10 && c->hcount <= 12 && ch >= '0' && ch <= '9') c->status = (uint16_t)(c->status * 10 + (ch - '0'));
        if (ch == '\r') c->hend = c->hend == 2 ? 3 : 1;
        else if (ch == '\n' && (c->hend == 1 || c->hend == 3)) c->hend++;
        else c->hend = 0;
        if (c->hend == 4) {
            if (c->status != 200) {
                conn_fail(i, &fail_status);
                return;
            }
            c->state = S_WAIT_READY;
        }
    }
    uint64_t now = 0;  // read lazily, once per read
    while (p < end) {
        const char *frame_end = NULL;  // one past the blank line that ends a frame
        if ((c->flags & F_NEWLINE) && *p == '\n') {
            frame_end = p + 1;
        } else {
            const char *q = p;
            while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL && q + 1 < end) {
                if (q[1] == '\n') {
                    frame_end = q + 2;
                    break;
                }
                q++;
            }
        }
        const char *segment_end = frame_end ? frame_end : end;
        if ((c->state == S_WAIT_READY || c->state == S_ARMED) && !(c->flags & F_MATCH)) scan_marker(c, p, segment_end);
        if (frame_end) {
            frame_ended(c, &now);
            c->flags &= (uint8_t)~F_NEWLINE;
            p = frame_end;
        } else {
            if (end[-1] == '\n') c->flags |= F_NEWLINE;
            else c->flags &= (uint8_t)~F_NEWLINE;
            p = end;
        }
    }
}

static void on_readable(int i) {
    for (;;) {
        ssize_t n = read(fds[i], rbuf, READ_BUFFER);
        if (n > 0) {
            bytes_total += (uint64_t)n;
            scan(i, rbuf, (size_t)n);
            if (fds[i] < 0 || n < READ_BUFFER) return;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        // End of stream or error.
        struct conn *c = &conns[i];
        if (c->state == S_HEAD || c->state == S_WAIT_READY) {
            conn_fail(i, &fail_closed);
        } else {
            if (c->state == S_ARMED) armed_count--;
            conn_close(i, true);
            c->state = S_LOST;
            lost_count++;
        }
        return;
    }
}

static void on_connected(int i) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
        conn_fail(i, err == ECONNREFUSED ? &fail_refused : &fail_other);
        return;
    }
    // The request is small: a fresh socket's buffer takes it whole.
    if (write(fds[i], request, (size_t)request_len) != request_len) {
        conn_fail(i, &fail_other);
        return;
    }
    conns[i].state = S_HEAD;
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    epoll_ctl(epfd, EPOLL_CTL_MOD, fds[i], &ev);
}

/// Opens connection i; false when this source address has run out of ports (try the next).
static bool conn_open(int i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket (is the fd limit high enough?)");
    int source = 0;  // 0: let the kernel choose (127.0.0.1 towards 127.0.0.1)
    if (sources > 1) source = 1 + (i % sources);
    if (source_shift > 0) source = (source ? source : 1) + source_shift;
    if (source > MAX_SOURCES) {
        errno = EADDRNOTAVAIL;
        die("out of source addresses");
    }
    if (source > 0) {
        int one = 1;
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        struct sockaddr_in local = {.sin_family = AF_INET, .sin_port = 0};
        local.sin_addr.s_addr = htonl(0x7f000000u | (uint32_t)source);
        if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) die("bind to a 127.0.0.x source address");
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int r = connect(fd, (struct sockaddr *)&server, sizeof server);
    if (r < 0 && errno == EADDRNOTAVAIL) {
        close(fd);
        return false;
    }
    fds[i] = fd;
    open_count++;
    if (r < 0 && errno != EINPROGRESS) {
        conn_fail(i, errno == ECONNREFUSED ? &fail_refused : &fail_other);
        return true;
    }
    conns[i].state = S_CONNECTING;
    struct epoll_event ev = {.events = EPOLLOUT, .data.u32 = (uint32_t)i};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
    return true;
}

/// Handles socket events for up to timeout_ms; false on stdin input (index UINT32_MAX).
static bool poll_once(int timeout_ms) {
    static struct epoll_event events[EVENT_BATCH];
    int n = epoll_wait(epfd, events, EVENT_BATCH, timeout_ms);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    bool stdin_ready = false;
    for (int k = 0; k < n; k++) {
        uint32_t i = events[k].data.u32;
        if (i == UINT32_MAX) {
            stdin_ready = true;
            continue;
        }
        if (fds[i] < 0) continue;
        if (conns[i].state == S_CONNECTING) on_connected((int)i);
        else on_readable((int)i);
    }
    return !stdin_ready;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/// Nearest-rank percentile of a sorted array.
static uint32_t pct(const uint32_t *v, int n, int p) {
    if (n == 0) return 0;
    int rank = (int)(((int64_t)p * n + 99) / 100);
    if (rank < 1) rank = 1;
    return v[rank - 1];
}

/// Prints `"<prefix>first_us":..,"p50_us":..` for the t_us of connections in `state`.
static void print_times(const char *prefix, int state) {
    uint32_t *v = malloc(sizeof(uint32_t) * (size_t)(n_conns ? n_conns : 1));
    int n = 0;
    for (int i = 0; i < n_conns; i++)
        if (conns[i].state == state) v[n++] = conns[i].t_us;
    qsort(v, (size_t)n, sizeof *v, cmp_u32);
    printf("\"%sfirst_us\":%u,\"%sp50_us\":%u,\"%sp90_us\":%u,\"%sp99_us\":%u,\"%smax_us\":%u",
           prefix, pct(v, n, 0), prefix, pct(v, n, 50), prefix, pct(v, n, 90), prefix, pct(v, n, 99), prefix,
           n ? v[n - 1] : 0);
    free(v);
}

static void connect_all(int concurrency, int timeout_ms) {
    double cpu0 = cpu_ms();
    ready_base_ns = now_ns();
    uint64_t deadline = ready_base_ns + (uint64_t)timeout_ms * 1000000ull;
    int next = 0;
    while (ready_count + failed_count < n_conns) {
        // Keep up to `concurrency` connections between connect() and ready.
        int issued = 0;
        while (next < n_conns && issued < CONNECT_BATCH && next - ready_count - failed_count < concurrency) {
            if (conn_open(next)) {
                next++;
                issued++;
            } else if (++source_shift + (sources > 1 ? sources : 1) > MAX_SOURCES) {
                errno = EADDRNOTAVAIL;
                die("connect: out of ports on every source address");
            }
        }
        poll_once(next < n_conns && issued > 0 ? 0 : 10);
        if (now_ns() > deadline) break;
    }
    int pending = 0;
    for (int i = 0; i < n_conns; i++) {
        if (conns[i].state == S_IDLE || conns[i].state == S_CONNECTING || conns[i].state == S_HEAD ||
            conns[i].state == S_WAIT_READY) {
            if (fds[i] >= 0) conn_close(i, true);
            conns[i].state = S_FAILED;
            failed_count++;
            pending++;
        }
    }
    double wall = (now_ns() - ready_base_ns) / 1e6;
    printf("{\"event\":\"connected\",\"n\":%d,\"ready\":%d,\"failed\":%d,\"refused\":%d,\"bad_status\":%d,"
           "\"closed\":%d,\"timed_out\":%d,\"other\":%d,\"sources\":%d,",
           n_conns, ready_count, failed_count, fail_refused, fail_status, fail_closed, pending, fail_other,
           (sources > 1 ? sources : 1) + source_shift);
    print_times("ready_", S_READY);
    printf(",\"wall_ms\":%.1f,\"cpu_ms\":%.1f}\n", wall, cpu_ms() - cpu0);
    fflush(stdout);
}

/// The moment of a trigger, taken just before the act; -1 when the act failed.
static int64_t fire(const char *how, const char *arg) {
    if (strcmp(how, "write") == 0) {
        char content[96];
        int len = snprintf(content, sizeof content, "round %d at %llu\n", round_no, (unsigned long long)now_ns());
        uint64_t t = now_ns();
        int fd = open(arg, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, content, (size_t)len) != len) return -1;
        close(fd);
        return (int64_t)t;
    }
    if (strcmp(how, "connect") == 0) {
        if (ctl_fd < 0) {
            // Opened once and kept, so the round's clock starts at the write, not the handshake.
            struct sockaddr_in ctl = server;
            ctl.sin_port = htons((uint16_t)atoi(arg));
            ctl_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (ctl_fd < 0 || connect(ctl_fd, (struct sockaddr *)&ctl, sizeof ctl) < 0) return -1;
            int one = 1;
            setsockopt(ctl_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
        uint64_t t = now_ns();
        if (write(ctl_fd, "go\n", 3) != 3) return -1;
        return (int64_t)t;
    }
    return (int64_t)now_ns();  // "none"
}

static void run_round(const char *how, const char *arg, const char *marker, int timeout_ms) {
    marker_set(&round_marker, marker);
    round_no++;
    armed_count = 0;
    done_count = 0;
    int lost0 = lost_count;
    uint64_t frames0 = frames_total, bytes0 = bytes_total;
    for (int i = 0; i < n_conns; i++) {
        if (conns[i].state == S_DONE) conns[i].state = S_READY;
        if (conns[i].state == S_READY) {
            conns[i].state = S_ARMED;
            conns[i].flags &= (uint8_t)~F_MATCH;
            conns[i].mpos = 0;
            armed_count++;
        }
    }
    int armed0 = armed_count;
    double cpu0 = cpu_ms();
    int64_t t = fire(how, arg);
    if (t < 0) {
        printf("{\"event\":\"round\",\"error\":\"trigger %s %s failed: %s\"}\n", how, arg, strerror(errno));
        fflush(stdout);
        return;
    }
    round_base_ns = (uint64_t)t;
    uint64_t deadline = round_base_ns + (uint64_t)timeout_ms * 1000000ull;
    while (done_count < armed_count) {
        uint64_t now = now_ns();
        if (now >= deadline) break;
        int wait = (int)((deadline - now) / 1000000ull) + 1;
        poll_once(wait > 100 ? 100 : wait);
    }
    double cpu = cpu_ms() - cpu0;
    uint32_t last = 0;
    for (int i = 0; i < n_conns; i++)
        if (conns[i].state == S_DONE && conns[i].t_us > last) last = conns[i].t_us;
    printf("{\"event\":\"round\",\"round\":%d,\"armed\":%d,\"got\":%d,\"missing\":%d,\"lost\":%d,\"trigger_ns\":%llu,",
           round_no, armed0, done_count, armed_count - done_count, lost_count - lost0, (unsigned long long)t);
    print_times("", S_DONE);
    printf(",\"frames\":%llu,\"bytes\":%llu,\"cpu_ms\":%.2f,\"busy\":%.3f}\n",
           (unsigned long long)(frames_total - frames0), (unsigned long long)(bytes_total - bytes0), cpu,
           last ? cpu / (last / 1000.0) : 0.0);
    fflush(stdout);
    for (int i = 0; i < n_conns; i++) {
        // Still armed: no marker in time; back to holding.
        if (conns[i].state == S_ARMED || conns[i].state == S_DONE) conns[i].state = S_READY;
    }
}

static void print_stats(void) {
    printf("{\"event\":\"stats\",\"open\":%d,\"ready\":%d,\"lost\":%d,\"frames\":%llu,\"bytes\":%llu,\"cpu_ms\":%.1f}\n",
           open_count, ready_count - lost_count, lost_count, (unsigned long long)frames_total,
           (unsigned long long)bytes_total, cpu_ms());
    fflush(stdout);
}

static void quit(int code) {
    for (int i = 0; i < n_conns; i++) conn_close(i, true);
    if (ctl_fd >= 0) close(ctl_fd);
    exit(code);
}

/// Runs one stdin command line.
static void command(char *line) {
    char *argv[8];
    int argc = 0;
    for (char *save = NULL, *tok = strtok_r(line, " \t\r", &save); tok && argc < 8; tok = strtok_r(NULL, " \t\r", &save))
        argv[argc++] = tok;
    if (argc == 0) return;
    if (strcmp(argv[0], "quit") == 0) quit(0);
    if (strcmp(argv[0], "stats") == 0) {
        print_stats();
    } else if (strcmp(argv[0], "trigger") == 0 && argc == 5) {
        run_round(argv[1], argv[2], argv[3], atoi(argv[4]));
    } else if (strcmp(argv[0], "trigger") == 0 && argc == 4 && strcmp(argv[1], "none") == 0) {
        run_round("none", "", argv[2], atoi(argv[3]));
    } else {
        printf("{\"event\":\"error\",\"error\":\"unknown command %s\"}\n", argv[0]);
        fflush(stdout);
    }
}

static void serve_commands(void) {
    static char line[4096];
    size_t used = 0;
    for (;;) {
        if (poll_once(-1)) continue;
        ssize_t n = read(STDIN_FILENO, line + used, sizeof line - 1 - used);
        if (n <= 0) quit(0);
        used += (size_t)n;
        char *nl;
        while ((nl = memchr(line, '\n', used)) != NULL) {
            *nl = 0;
            size_t consumed = (size_t)(nl - line) + 1;
            char one[4096];
            memcpy(one, line, consumed);
            memmove(line, nl + 1, used - consumed);
            used -= consumed;
            command(one);
        }
        if (used == sizeof line - 1) used = 0;  // a line too long to be a command
    }
}

static int stamp(const char *path) {
    char text[32];
    int len = snprintf(text, sizeof text, "%llu\n", (unsigned long long)now_ns());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, text, (size_t)len) != len) die(path);
    close(fd);
    return 0;
}

static void usage(void) {
    fprintf(stderr, "usage: loadgen --port P [--host ADDR] [--path P] [-n N] [--concurrency C] [--ready MARKER]\n"
                    "               [--sources K] [--timeout MS]\n"
                    "       loadgen stamp FILE\n");
    exit(2);
}

/// The ephemeral ports one source address has towards one destination (the even half is
/// what connect() searches cheaply).
static int ephemeral_ports(void) {
    int lo = 32768, hi = 60999;
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    if (f) {
        if (fscanf(f, "%d %d", &lo, &hi) != 2) lo = 32768, hi = 60999;
        fclose(f);
    }
    return (hi - lo + 1) / 2;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "stamp") == 0) return stamp(argv[2]);
    const char *host = "127.0.0.1", *path = "/__hmr", *ready = "\"action\":\"sync\"";
    int port = 0, concurrency = 256, timeout_ms = 60000;
    n_conns = 1;
    for (int a = 1; a < argc; a++) {
        const char *v = a + 1 < argc ? argv[a + 1] : NULL;
        if (!v) usage();
        if (strcmp(argv[a], "--port") == 0) port = atoi(v);
        else if (strcmp(argv[a], "--host") == 0) host = v;
        else if (strcmp(argv[a], "--path") == 0) path = v;
        else if (strcmp(argv[a], "-n") == 0) n_conns = atoi(v);
        else if (strcmp(argv[a], "--concurrency") == 0) concurrency = atoi(v);
        else if (strcmp(argv[a], "--ready") == 0) ready = v;
        else if (strcmp(argv[a], "--sources") == 0) sources = atoi(v);
        else if (strcmp(argv[a], "--timeout") == 0) timeout_ms = atoi(v);
        else usage();
        a++;
    }
    if (port <= 0 || n_conns < 1 || concurrency < 1) usage();

    // As many descriptors as the hard limit allows.
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if ((rlim_t)n_conns + 16 > rl.rlim_cur) {
        fprintf(stderr, "loadgen: %d connections need more than the fd limit of %llu\n", n_conns,
                (unsigned long long)rl.rlim_cur);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);

    server.sin_family = AF_INET;
    server.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &server.sin_addr) != 1) usage();
    request_len = snprintf(request, sizeof request,
                           "GET %s HTTP/1.1\r\nHost: %s:%d\r\nAccept: text/event-stream\r\n"
                           "Cache-Control: no-cache\r\n\r\n", path, host, port);
    marker_set(&ready_marker, ready);
    // Spread over source addresses from the start when one cannot carry N cheaply.
    int per_source = ephemeral_ports() - PORT_MARGIN;
    if (per_source < 1024) per_source = 1024;
    if (sources <= 0) sources = (n_conns + per_source - 1) / per_source;

    conns = calloc((size_t)n_conns, sizeof *conns);
    fds = malloc(sizeof(int) * (size_t)n_conns);
    rbuf = malloc(READ_BUFFER);
    if (!conns || !fds || !rbuf) die("malloc");
    for (int i = 0; i < n_conns; i++) fds[i] = -1;
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1");
    connect_all(concurrency, timeout_ms);
    // Only now: input waiting while connecting must not turn the loop into a spin.
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = UINT32_MAX};
    fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
    // stdin may be a file or /dev/null, which epoll refuses: then commands are read as they come.
    bool stdin_polled = epoll_ctl(epfd, EPOLL_CTL_ADD, STDIN_FILENO, &ev) == 0;
    if (!stdin_polled) {
        fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) & ~O_NONBLOCK);
        char line[4096];
        while (fgets(line, sizeof line, stdin)) command(line);
        quit(0);
    }
    serve_commands();
    return 0;
}
