// Shared by the benchmark generator and probe.
/** A serial placed last in every benchmark CRL: finding it proves the walk reached the end. */
export const MARKER_SERIAL = '7e57ab1e0000000000000000c0ffee01';
