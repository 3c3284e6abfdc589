//! Native (Rust) modules reachable with `require(name)`.

use std::collections::HashMap;
use std::sync::Arc;

use rquickjs::{Ctx, Object};

use crate::error::{Error, Result};

/// A module implemented in Rust.
///
/// The module value itself is shared by every runtime of a factory, so it holds
/// configuration only. [`NativeModule::load`] runs once per runtime, the first time
/// a script requires the module, and whatever state it creates there (a counter, a
/// connection) belongs to that runtime alone.
///
/// ```
/// use jsbox::{NativeModule, rquickjs::{Ctx, Function, Object}};
///
/// struct Greeter;
///
/// impl NativeModule for Greeter {
///     fn name(&self) -> &str { "greeter" }
///     fn doc(&self) -> &str { "hello(name): returns a greeting" }
///     fn load<'js>(&self, ctx: &Ctx<'js>, exports: &Object<'js>) -> rquickjs::Result<()> {
///         exports.set("hello", Function::new(ctx.clone(), |name: String| format!("hello, {name}"))?)
///     }
/// }
///
/// let rt = jsbox::open(jsbox::Options::new().module(Greeter))?;
/// let s: String = rt.eval("require('greeter').hello('ada')")?;
/// assert_eq!(s, "hello, ada");
/// # Ok::<(), jsbox::Error>(())
/// ```
pub trait NativeModule: Send + Sync + 'static {
    /// The name scripts pass to `require()` (also reachable as `node:NAME`).
    fn name(&self) -> &str;

    /// A one-paragraph description, listed by `jsbox modules`.
    fn doc(&self) -> &str;

    /// Fills `exports` for one runtime. Errors become a JS exception thrown from
    /// the `require()` call.
    fn load<'js>(&self, ctx: &Ctx<'js>, exports: &Object<'js>) -> rquickjs::Result<()>;
}

/// The native modules of a factory, validated and indexed once.
#[derive(Clone, Default)]
pub(crate) struct ModuleRegistry {
    modules: Vec<Arc<dyn NativeModule>>,
    by_name: HashMap<String, usize>,
}

impl ModuleRegistry {
    /// Indexes `modules`, refusing duplicate or malformed names.
    pub(crate) fn new(modules: Vec<Arc<dyn NativeModule>>) -> Result<Self> {
        let mut by_name = HashMap::with_capacity(modules.len());
        for (index, module) in modules.iter().enumerate() {
            let name = module.name();
            if name.is_empty()
                || name.starts_with('.')
                || name.starts_with('/')
                || name.starts_with("node:")
            {
                return Err(Error::InvalidOptions(format!(
                    "native module name {name:?} is not a bare module name"
                )));
            }
            if by_name.insert(name.to_string(), index).is_some() {
                return Err(Error::InvalidOptions(format!(
                    "two native modules are named {name:?}"
                )));
            }
        }
        Ok(ModuleRegistry { modules, by_name })
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Arc<dyn NativeModule>> {
        self.by_name.get(name).map(|&i| &self.modules[i])
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// `(name, doc)` pairs sorted by name.
    pub(crate) fn list(&self) -> Vec<(String, String)> {
        let mut list: Vec<_> = self
            .modules
            .iter()
            .map(|m| (m.name().to_string(), m.doc().to_string()))
            .collect();
        list.sort();
        list
    }
}
