// libuv for Swift: the public header plus casts between handle types, which Swift
// cannot express. No logic lives here.
#ifndef HMRD_CLIBUV_SHIM_H
#define HMRD_CLIBUV_SHIM_H
#include <uv.h>
#include <signal.h>
#include <sys/types.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>

// splice(2) moves a proxied download from one socket to the other through a pipe,
// never through hmrd's memory (SplicePump). Through syscall(2): the libc wrappers
// need _GNU_SOURCE, which a module shared with Glibc's cannot set. Linux values.
static inline long hmr_splice(int from, int to, size_t count) {
    return syscall(SYS_splice, from, (void *)0, to, (void *)0, count, 1 /* MOVE */ | 2 /* NONBLOCK */);
}
static inline int hmr_pipe_nonblocking(int fds[2]) { return (int)syscall(SYS_pipe2, fds, O_NONBLOCK | O_CLOEXEC); }
static inline int hmr_set_pipe_size(int fd, int size) { return fcntl(fd, 1031 /* F_SETPIPE_SZ */, size); }

static inline uv_handle_t *hmr_tcp_handle(uv_tcp_t *h) { return (uv_handle_t *)h; }
static inline uv_stream_t *hmr_tcp_stream(uv_tcp_t *h) { return (uv_stream_t *)h; }
static inline uv_handle_t *hmr_pipe_handle(uv_pipe_t *h) { return (uv_handle_t *)h; }
static inline uv_stream_t *hmr_pipe_stream(uv_pipe_t *h) { return (uv_stream_t *)h; }
static inline uv_handle_t *hmr_timer_handle(uv_timer_t *h) { return (uv_handle_t *)h; }
static inline uv_handle_t *hmr_idle_handle(uv_idle_t *h) { return (uv_handle_t *)h; }
static inline uv_handle_t *hmr_signal_handle(uv_signal_t *h) { return (uv_handle_t *)h; }
static inline uv_handle_t *hmr_fs_event_handle(uv_fs_event_t *h) { return (uv_handle_t *)h; }
static inline uv_handle_t *hmr_process_handle(uv_process_t *h) { return (uv_handle_t *)h; }
static inline uv_handle_t *hmr_async_handle(uv_async_t *h) { return (uv_handle_t *)h; }
static inline uv_handle_t *hmr_poll_handle(uv_poll_t *h) { return (uv_handle_t *)h; }
static inline uv_tcp_t *hmr_stream_tcp(uv_stream_t *s) { return (uv_tcp_t *)s; }
static inline uv_handle_t *hmr_stream_handle(uv_stream_t *s) { return (uv_handle_t *)s; }
static inline uv_req_t *hmr_work_req(uv_work_t *r) { return (uv_req_t *)r; }

// The flags of uv_process_options_t, as plain values Swift can combine.
static inline unsigned int hmr_process_detached(void) { return UV_PROCESS_DETACHED; }
static inline int hmr_stdio_create_pipe_writable(void) { return UV_CREATE_PIPE | UV_WRITABLE_PIPE; }
#endif
