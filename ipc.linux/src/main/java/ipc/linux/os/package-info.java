/**
 * Thin Java wrappers over the Linux bindings (sealed shared memory, futex, eventfd, socketpair doorbells, epoll, Unix
 * sockets and their {@code SCM_RIGHTS} messages), allocation-free on the hot path.
 */
package ipc.linux.os;
