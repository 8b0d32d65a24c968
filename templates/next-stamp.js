// The snapshot's manifest in `next dev` (withButter aliases this module to it); elsewhere null.
export default null;
