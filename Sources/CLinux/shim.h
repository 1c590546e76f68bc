// Linux calls that Swift's Glibc module does not expose: epoll, eventfd, sync_file_range.
#include <sys/epoll.h>
#include <sys/eventfd.h>

// sync_file_range(2), which <fcntl.h> declares only under _GNU_SOURCE: glibc's own function
// under another name (so that no declaration can clash with <fcntl.h>'s).
extern int clinux_sync_file_range(int fd, long long offset, long long count, unsigned int flags) __asm__("sync_file_range");

/// sync_file_range's SYNC_FILE_RANGE_WRITE: start writing the range's dirty pages, without waiting.
static const unsigned int CLINUX_SYNC_FILE_RANGE_WRITE = 2;
