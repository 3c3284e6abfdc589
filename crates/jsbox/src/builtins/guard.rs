//! The policy, enforced where the host is touched: every binding that opens a
//! path, runs a program or opens a database asks here, in Rust, whatever the
//! JavaScript in front of it checked. A script that reaches a binding by any
//! route still gets `ERR_ACCESS_DENIED`.

use rquickjs::Ctx;

use crate::host::throw_denied;
use crate::policy::Policy;
use crate::runtime::RuntimeState;

/// The runtime's policy, once it has said that scripts may use `module`.
pub(crate) fn module_allowed<'a>(ctx: &Ctx<'_>, module: &str) -> rquickjs::Result<&'a Policy> {
    let policy: &'a Policy = &RuntimeState::of(ctx).policy;
    policy
        .check_module(module)
        .map_err(|denied| throw_denied(ctx, &denied))?;
    Ok(policy)
}

/// `path` as the binding of `module` may use it: the real path under the
/// root when one is set (see [`Policy::confine`]), else `path` unchanged.
pub(crate) fn confine(ctx: &Ctx<'_>, module: &str, path: &str) -> rquickjs::Result<String> {
    module_allowed(ctx, module)?
        .confine(path)
        .map_err(|denied| throw_denied(ctx, &denied))
}

/// The runtime's policy, once it has said that `exec` may run `program`.
pub(crate) fn program_allowed<'a>(ctx: &Ctx<'_>, program: &str) -> rquickjs::Result<&'a Policy> {
    let policy = module_allowed(ctx, "exec")?;
    policy
        .check_program(program)
        .map_err(|denied| throw_denied(ctx, &denied))?;
    Ok(policy)
}
