// nsmodel as a library. The trace API for now; the backends (ModelBackend from
// './model/backend.js', KernelBackend from './kernel/backend.js'), the generators and the
// shell are exported here by their owners as they land.

export * from './trace/index.js';
