/** The interface-name rules of src/core, in one place. */

/** Kernel interface names are at most 15 bytes (IFNAMSIZ 16 with the NUL). */
export const IFNAME_MAX = 15;

/** Interface and OVS bridge names as the kernel reports them; anything else is never passed to a tool. */
export const IFNAME_RE = /^[A-Za-z0-9_.:@-]{1,15}$/;

/**
 * Names VirtLab itself creates (lab files): stricter than what the kernel reports. A leading '-'
 * would read as an option to ip/tc/ovs-vsctl, and '.'/'..' are not names to the kernel.
 */
export const NEW_IFNAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/;
