//! Native (Rust) modules reachable with `require(name)`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rquickjs::{Ctx, Object};

use crate::builtins::BUILTINS;
use crate::error::{Error, Result};
use crate::host_module::{ErasedHostModule, HostModules};

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

/// How a registered module is implemented.
#[derive(Clone)]
pub(crate) enum ModuleImpl {
    /// A user's Rust module.
    Native(Arc<dyn NativeModule>),
    /// A module shipped with jsbox, by index into [`BUILTINS`].
    Builtin(usize),
    /// A user's host module, by index into [`ModuleRegistry::hosts`].
    Host(usize),
}

#[derive(Clone)]
pub(crate) struct ModuleEntry {
    pub(crate) name: String,
    pub(crate) doc: String,
    pub(crate) implementation: ModuleImpl,
}

/// The modules of a factory, validated and indexed once.
#[derive(Clone, Default)]
pub(crate) struct ModuleRegistry {
    by_name: HashMap<String, ModuleEntry>,
    /// The host modules, in the order their functions number them.
    hosts: HostModules,
}

impl ModuleRegistry {
    /// Indexes the built-in modules (when `with_builtins`) and the user's
    /// `modules`, refusing duplicate or malformed user names. A user module named
    /// like a built-in one replaces it.
    pub(crate) fn new(
        modules: Vec<Arc<dyn NativeModule>>,
        hosts: Vec<Arc<dyn ErasedHostModule>>,
        with_builtins: bool,
    ) -> Result<Self> {
        let mut by_name = HashMap::with_capacity(modules.len() + BUILTINS.len());
        if with_builtins {
            for (index, builtin) in BUILTINS.iter().enumerate() {
                by_name.insert(
                    builtin.name.to_string(),
                    ModuleEntry {
                        name: builtin.name.to_string(),
                        doc: builtin.doc.to_string(),
                        implementation: ModuleImpl::Builtin(index),
                    },
                );
            }
        }
        let mut seen = HashSet::with_capacity(modules.len() + hosts.len());
        let natives = modules.into_iter().map(|module| {
            let entry = (module.name().to_string(), module.doc().to_string());
            (entry, ModuleImpl::Native(module))
        });
        let host_entries = hosts.iter().enumerate().map(|(index, module)| {
            let entry = (module.name().to_string(), module.doc().to_string());
            (entry, ModuleImpl::Host(index))
        });
        for ((name, doc), implementation) in natives.chain(host_entries) {
            if name.is_empty()
                || name.starts_with('.')
                || name.starts_with('/')
                || name.starts_with("node:")
            {
                return Err(Error::InvalidOptions(format!(
                    "native module name {name:?} is not a bare module name"
                )));
            }
            if !seen.insert(name.clone()) {
                return Err(Error::InvalidOptions(format!(
                    "two native modules are named {name:?}"
                )));
            }
            by_name.insert(
                name.clone(),
                ModuleEntry {
                    name,
                    doc,
                    implementation,
                },
            );
        }
        Ok(ModuleRegistry {
            by_name,
            hosts: hosts.into(),
        })
    }

    /// The host modules, indexed as [`ModuleImpl::Host`] numbers them.
    pub(crate) fn hosts(&self) -> &HostModules {
        &self.hosts
    }

    pub(crate) fn get(&self, name: &str) -> Option<&ModuleEntry> {
        self.by_name.get(name)
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// `(name, doc)` pairs sorted by name.
    pub(crate) fn list(&self) -> Vec<(String, String)> {
        let mut list: Vec<_> = self
            .by_name
            .values()
            .map(|m| (m.name.clone(), m.doc.clone()))
            .collect();
        list.sort();
        list
    }
}
