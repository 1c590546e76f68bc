// Linux calls that Swift's Glibc module does not expose: epoll, eventfd, fallocate.
#include <sys/epoll.h>
#include <sys/eventfd.h>

// fallocate(2): glibc declares it only under _GNU_SOURCE, without which Swift's Glibc
// module is built (defining it here would clash with that module's types). off_t is 64 bits.
extern int fallocate(int fd, int mode, long offset, long len);
