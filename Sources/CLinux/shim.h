// Linux calls that Swift's Glibc module does not expose: epoll, eventfd.
#include <sys/epoll.h>
#include <sys/eventfd.h>
