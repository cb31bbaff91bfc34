// fanout-ref: the floor for hmrd's fan-out, the simplest epoll program that writes
// one frame to N sockets. scripts/bench measures it in the same run as hmrd, with
// the same frame, clients and load generator, and reports hmrd's figures as ratios.
//
// It accepts on a port (backlog 1024, as hmrd), answers whatever a client sends
// first with an event-stream head, `retry:` and a `sync` frame (a small one, or
// the bytes of --sync, hmrd's own, so a connection storm costs both the same
// bytes; loadgen sees it become ready as it does with hmrd), and keeps its socket
// in a list in accept order. On a trigger, a line on stdin or any bytes on a connection to the
// control port, it writes the frame to every socket with plain write() in a loop
// over that list; a socket that takes only part keeps the remainder and finishes
// on EPOLLOUT. Nothing else: no parsing, no per-client queue beyond one offset.
//
//   fanout-ref --frame FILE [--sync FILE] [--port P] [--control-port P]
//
// It prints `listening PORT CONTROL_PORT` once both sockets listen, and exits on
// `quit` or end of input on stdin, or on SIGTERM.

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/// The same accept backlog hmrd asks for.
#define BACKLOG 1024
#define EVENT_BATCH 4096

enum kind { K_FREE, K_NEW, K_STREAM, K_CONTROL };

struct client {
    uint32_t sent;   // bytes of the frame written; == frame_len when nothing is pending
    int32_t slot;    // position in `streams`, or -1
    uint8_t kind;
};

static const char head[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/event-stream; charset=utf-8\r\n"
    "Cache-Control: no-cache, no-transform\r\n"
    "X-Accel-Buffering: no\r\n"
    "Connection: keep-alive\r\n"
    "\r\n"
    "retry: 1000\n\n";
static const char small_sync[] = "id: 0\ndata: {\"action\":\"sync\"}\n\n";

/// The head, `retry:` and the sync frame: what every new stream is sent in one write.
static char *greeting;
static size_t greeting_len;

static struct client *clients;  // indexed by descriptor
static int *streams;
static int n_streams;
static int epfd, listen_fd, control_fd;
static char *frame;
static uint32_t frame_len;
static unsigned long long broadcasts, skipped;

static void die(const char *what) {
    fprintf(stderr, "fanout-ref: %s: %s\n", what, strerror(errno));
    exit(1);
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) die(path);
    struct stat st;
    fstat(fileno(f), &st);
    *len = (size_t)st.st_size;
    char *bytes = malloc(*len ? *len : 1);
    if (!bytes || fread(bytes, 1, *len, f) != *len) die(path);
    fclose(f);
    return bytes;
}

static int listen_on(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, BACKLOG) < 0) die("listen");
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    return fd;
}

static int port_of(int fd) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    return ntohs(a.sin_port);
}

static void drop(int fd) {
    struct client *c = &clients[fd];
    if (c->slot >= 0) {
        int last = streams[--n_streams];
        streams[c->slot] = last;
        clients[last].slot = c->slot;
    }
    c->kind = K_FREE;
    c->slot = -1;
    close(fd);
}

static void watch(int fd, uint32_t events) {
    struct epoll_event ev = {.events = events, .data.fd = fd};
    epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
}

/// Writes what is left of the frame; false if the socket failed.
static int push(int fd) {
    struct client *c = &clients[fd];
    while (c->sent < frame_len) {
        ssize_t n = write(fd, frame + c->sent, frame_len - c->sent);
        if (n > 0) {
            c->sent += (uint32_t)n;
            continue;
        }
        if (n < 0 && errno == EAGAIN) return 1;
        return 0;
    }
    return 1;
}

static void broadcast(void) {
    broadcasts++;
    for (int k = 0; k < n_streams; k++) {
        int fd = streams[k];
        struct client *c = &clients[fd];
        if (c->sent < frame_len) {  // the last frame is still going out
            skipped++;
            continue;
        }
        c->sent = 0;
        if (!push(fd)) {
            drop(fd);
            k--;  // the last stream moved into this slot
            continue;
        }
        if (c->sent < frame_len) watch(fd, EPOLLIN | EPOLLOUT);
    }
}

static void accept_all(int lfd, uint8_t kind) {
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return;  // EAGAIN, or out of descriptors: the floor does not shed load
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        clients[fd] = (struct client){.sent = frame_len, .slot = -1, .kind = kind};
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    }
}

static void readable(int fd) {
    static char buf[16384];
    struct client *c = &clients[fd];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        drop(fd);
        return;
    }
    if (n < 0) return;
    if (c->kind == K_CONTROL) {
        broadcast();
    } else if (c->kind == K_NEW) {
        // Any request is answered with the stream; the greeting fits a fresh socket's buffer.
        if (write(fd, greeting, greeting_len) != (ssize_t)greeting_len) {
            drop(fd);
            return;
        }
        c->kind = K_STREAM;
        c->slot = n_streams;
        streams[n_streams++] = fd;
    }
}

static void stdin_line(void) {
    static char buf[4096];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf - 1);
    if (n <= 0) exit(0);
    buf[n] = 0;
    if (strstr(buf, "quit")) exit(0);
    if (strstr(buf, "stats")) {
        printf("{\"streams\":%d,\"broadcasts\":%llu,\"skipped\":%llu}\n", n_streams, broadcasts, skipped);
        fflush(stdout);
        return;
    }
    broadcast();
}

int main(int argc, char **argv) {
    const char *frame_path = NULL, *sync_path = NULL;
    int port = 0, control_port = 0;
    for (int a = 1; a + 1 < argc; a += 2) {
        if (strcmp(argv[a], "--frame") == 0) frame_path = argv[a + 1];
        else if (strcmp(argv[a], "--sync") == 0) sync_path = argv[a + 1];
        else if (strcmp(argv[a], "--port") == 0) port = atoi(argv[a + 1]);
        else if (strcmp(argv[a], "--control-port") == 0) control_port = atoi(argv[a + 1]);
    }
    if (!frame_path) {
        fprintf(stderr, "usage: fanout-ref --frame FILE [--sync FILE] [--port P] [--control-port P]\n");
        return 2;
    }
    size_t len;
    frame = read_file(frame_path, &len);
    frame_len = (uint32_t)len;
    char *sync = sync_path ? read_file(sync_path, &len) : NULL;
    if (!sync) len = sizeof small_sync - 1;
    greeting_len = sizeof head - 1 + len;
    greeting = malloc(greeting_len);
    memcpy(greeting, head, sizeof head - 1);
    memcpy(greeting + sizeof head - 1, sync ? sync : small_sync, len);

    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    clients = calloc(rl.rlim_cur, sizeof *clients);
    streams = malloc(sizeof(int) * rl.rlim_cur);
    if (!clients || !streams) die("malloc");
    signal(SIGPIPE, SIG_IGN);

    epfd = epoll_create1(EPOLL_CLOEXEC);
    listen_fd = listen_on(port);
    control_fd = listen_on(control_port);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = STDIN_FILENO};
    epoll_ctl(epfd, EPOLL_CTL_ADD, STDIN_FILENO, &ev);
    printf("listening %d %d\n", port_of(listen_fd), port_of(control_fd));
    fflush(stdout);

    static struct epoll_event events[EVENT_BATCH];
    for (;;) {
        int n = epoll_wait(epfd, events, EVENT_BATCH, -1);
        if (n < 0 && errno != EINTR) die("epoll_wait");
        for (int k = 0; k < n; k++) {
            int fd = events[k].data.fd;
            if (fd == listen_fd) accept_all(fd, K_NEW);
            else if (fd == control_fd) accept_all(fd, K_CONTROL);
            else if (fd == STDIN_FILENO) stdin_line();
            else if (clients[fd].kind == K_FREE) continue;
            else if (events[k].events & EPOLLOUT) {
                if (!push(fd)) drop(fd);
                else if (clients[fd].sent == frame_len) watch(fd, EPOLLIN);
            } else readable(fd);
        }
    }
}
