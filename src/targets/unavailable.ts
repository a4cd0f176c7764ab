// A target that cannot run here (not installed, does not boot): `nsmodel check` exits 3 with the reason.
export class TargetUnavailable extends Error {}
