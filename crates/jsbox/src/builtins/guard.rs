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

#[cfg(test)]
mod tests {
    use rquickjs::{Ctx, Function, Object, Value};

    use crate::{open, Options};

    /// Calls `function` of the raw binding `module` (as a script that reached
    /// it by some route would) and returns the error code it threw.
    fn code_of_call(options: Options, module: &str, function: &str, args: Vec<String>) -> String {
        let rt = open(options).unwrap();
        rt.with(|ctx: Ctx<'_>| {
            let binding: Object = super::super::binding(&ctx, module).unwrap().unwrap();
            let f: Function = binding.get(function).unwrap();
            let mut call = rquickjs::function::Args::new(ctx.clone(), args.len() + 2);
            for arg in args {
                call.push_arg(arg).unwrap();
            }
            if module == "exec" {
                // run(cmd, args, options)
                call.push_arg(Vec::<String>::new()).unwrap();
                call.push_arg(Object::new(ctx.clone()).unwrap()).unwrap();
            }
            Ok(match call.apply::<Value>(&f) {
                Ok(_) => "no error".to_string(),
                Err(_) => {
                    let thrown = ctx.catch();
                    let object = thrown.as_object().expect("an error object");
                    object.get::<_, String>("code").unwrap_or_default()
                }
            })
        })
        .unwrap()
    }

    #[test]
    fn the_raw_bindings_check_the_policy_themselves() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::NamedTempFile::new().unwrap();
        let outside = outside.path().to_str().unwrap().to_string();
        // A denied module: every function of its binding refuses.
        let sandboxed = || Options::new().sandboxed();
        let denied = "ERR_ACCESS_DENIED";
        assert_eq!(
            code_of_call(sandboxed(), "fs", "readText", vec![outside.clone()]),
            denied
        );
        assert_eq!(
            code_of_call(sandboxed(), "fs", "exists", vec![outside.clone()]),
            denied
        );
        assert_eq!(
            code_of_call(sandboxed(), "exec", "run", vec!["true".into()]),
            denied
        );
        assert_eq!(
            code_of_call(
                sandboxed(),
                "database",
                "configure",
                vec!["sqlite3".into(), ":memory:".into()]
            ),
            denied
        );
        // An allowed module under a root: paths outside it are refused.
        let rooted = || Options::new().root(root.path());
        for function in [
            "readText",
            "readBytes",
            "access",
            "readdir",
            "unlink",
            "realpath",
        ] {
            let args = vec![outside.clone()];
            assert_eq!(
                code_of_call(rooted(), "fs", function, args),
                denied,
                "{function}"
            );
        }
        assert_eq!(
            code_of_call(
                rooted(),
                "fs",
                "copyFile",
                vec![outside.clone(), "x".into()]
            ),
            denied
        );
        assert_eq!(
            code_of_call(
                rooted(),
                "database",
                "configure",
                vec!["sqlite3".into(), outside.clone()]
            ),
            denied
        );
        // A program off the list.
        let listed = Options::new().allow_programs(["env"]);
        assert_eq!(
            code_of_call(listed, "exec", "run", vec!["sh".into()]),
            denied
        );
        // The control: an allowed call goes through.
        let inside = root.path().join("inside.txt");
        std::fs::write(&inside, "ok").unwrap();
        assert_eq!(
            code_of_call(
                rooted(),
                "fs",
                "readText",
                vec![inside.to_str().unwrap().into()]
            ),
            "no error"
        );
    }
}
