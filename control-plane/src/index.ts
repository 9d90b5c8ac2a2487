// @enclave/control-plane is an application, not a library: nothing else in the workspace may
// import it (docs/architecture.md). Its entry points are src/main.ts (the server) and
// src/cli/admin.ts (the admin CLI); docs/control-plane.md describes both.
export const packageName = '@enclave/control-plane';
