// @enclave/control-plane — not built yet; see the open issues. The package exists so that the
// dependency rule (docs/architecture.md) is enforced from the first commit.
export const packageName = '@enclave/control-plane';
