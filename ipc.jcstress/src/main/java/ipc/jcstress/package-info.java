/**
 * jcstress tests of the memory-ordering questions the transport's correctness rests on: a record's publication
 * against its reading, and a sleep announcement against a wake-up.
 */
package ipc.jcstress;
