// @enclave/ui is a browser app (src/main.tsx, built by Vite into ui/dist and served by the
// control plane); nothing imports it as a library. The package entry stays so the workspace's
// dependency rule (docs/architecture.md) has a project to enforce.
export const packageName = '@enclave/ui';
