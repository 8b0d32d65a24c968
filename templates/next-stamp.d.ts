/** The snapshot's manifest in `next dev` (withButter aliases this module to it); elsewhere null. */
declare const stamp: { syncedAt?: string } | null;
export default stamp;
