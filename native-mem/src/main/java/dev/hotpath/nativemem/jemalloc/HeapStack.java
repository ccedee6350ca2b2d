package dev.hotpath.nativemem.jemalloc;

/**
 * One stack of a jemalloc {@code heap_v2} profile.
 *
 * @param addresses   return addresses, innermost first, as jemalloc wrote them after {@code @}
 * @param sampledObjs live objects in the sample ({@code t*:} first number)
 * @param sampledBytes live bytes in the sample ({@code t*:} second number)
 * @param bytes       estimated live bytes: the sample scaled by {@link HeapProfile#scale}
 * @param objs        estimated live objects, scaled the same way
 */
public record HeapStack(long[] addresses, long sampledObjs, long sampledBytes, double objs, double bytes) {
}
