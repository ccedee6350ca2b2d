/**
 * The HPROF heap engine. Layers: {@link dev.hotpath.analyzer.heap.internal.HprofInput} (a buffer window over a
 * FileChannel) → {@link dev.hotpath.analyzer.heap.HprofScanner} (pass 1: symbols, classes, roots, counts) →
 * {@link dev.hotpath.analyzer.heap.GraphBuilder} (pass 2: object table in parallel primitive arrays sorted by id;
 * pass 3: outbound references in CSR form) → {@link dev.hotpath.analyzer.heap.Dominators} (semi-NCA, iterative,
 * retained sizes) → {@link dev.hotpath.analyzer.heap.ReportBuilder} (histogram with retained bytes per class, top
 * dominators, leak suspects named by {@link dev.hotpath.analyzer.heap.Holders}, {@link dev.hotpath.analyzer.heap.Waste})
 * and {@link dev.hotpath.analyzer.heap.Growth} against a {@link dev.hotpath.analyzer.heap.HeapDigest} of an older dump.
 * Shallow-size conventions: {@link dev.hotpath.analyzer.heap.SizeModel}. Entry point:
 * {@link dev.hotpath.analyzer.heap.HeapEngine}.
 */
package dev.hotpath.analyzer.heap;
