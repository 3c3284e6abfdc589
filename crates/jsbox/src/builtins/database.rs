//! The native half of `database`: one SQLite connection per runtime (bundled
//! SQLite through rusqlite, nothing to install).
//!
//! The connection lives in the runtime's Rust-side state ([`RuntimeState`]),
//! so two runtimes never share one (the Go toolkit's single global instance
//! leaked state between runtimes), and the binding's functions capture
//! nothing: a heap image holds them, and handing a slot back closes the
//! connection with the rest of the runtime's state instead of tearing the
//! slot down.

use rquickjs::function::Opt;
use rquickjs::{BigInt, Ctx, Function, Object, TypedArray, Value};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::Connection;

use super::guard::{confine, module_allowed};
use super::node_error::throw_error;
use crate::jsvalues::{bounded_items, call_method};
use crate::runtime::RuntimeState;

/// Largest integer a JS number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

fn sql_error(ctx: &Ctx<'_>, error: rusqlite::Error) -> rquickjs::Error {
    throw_error(ctx, &format!("database: {error}"), "ERR_SQLITE", &[])
}

fn not_configured(ctx: &Ctx<'_>) -> rquickjs::Error {
    throw_error(
        ctx,
        "database: not configured; call configure('sqlite3', dsn) first",
        "ERR_DATABASE_NOT_CONFIGURED",
        &[],
    )
}

fn to_sql<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> rquickjs::Result<SqlValue> {
    if value.is_null() || value.is_undefined() {
        return Ok(SqlValue::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(SqlValue::Integer(i64::from(b)));
    }
    if let Some(i) = value.as_int() {
        return Ok(SqlValue::Integer(i64::from(i)));
    }
    if let Some(n) = value.as_float() {
        let fits = n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64;
        return Ok(if fits {
            SqlValue::Integer(n as i64)
        } else {
            SqlValue::Real(n)
        });
    }
    if let Some(s) = value.as_string() {
        return Ok(SqlValue::Text(s.to_string()?));
    }
    if let Some(big) = value.as_big_int() {
        return big.clone().to_i64().map(SqlValue::Integer).map_err(|_| {
            throw_error(
                ctx,
                "database: BigInt parameter out of the 64-bit range",
                "ERR_OUT_OF_RANGE",
                &[],
            )
        });
    }
    // A typed array of any element type binds its bytes.
    if let Some(bytes) = super::buffer::copy_view(ctx, &value) {
        return Ok(SqlValue::Blob(bytes));
    }
    if let Some(iso) = value
        .as_object()
        .and_then(|date| call_method(ctx, date, "toISOString"))
    {
        return Ok(SqlValue::Text(iso?.get()?));
    }
    let text = ctx
        .json_stringify(value)?
        .map_or(Ok(String::from("null")), |s| s.to_string())?;
    Ok(SqlValue::Text(text))
}

fn to_js<'js>(ctx: &Ctx<'js>, value: ValueRef<'_>) -> rquickjs::Result<Value<'js>> {
    use rquickjs::IntoJs;
    match value {
        ValueRef::Null => Ok(Value::new_null(ctx.clone())),
        ValueRef::Integer(i) if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i) => {
            (i as f64).into_js(ctx)
        }
        ValueRef::Integer(i) => BigInt::from_i64(ctx.clone(), i).map(|b| b.into_value()),
        ValueRef::Real(f) => f.into_js(ctx),
        ValueRef::Text(bytes) => String::from_utf8_lossy(bytes).into_owned().into_js(ctx),
        ValueRef::Blob(bytes) => {
            // Requiring `database` left the typed arrays for first use.
            RuntimeState::of(ctx).intrinsics.add_typed_arrays(ctx)?;
            // In the engine heap, where the memory limit counts it.
            TypedArray::<u8>::new_copy(ctx.clone(), bytes).map(|a| a.into_value())
        }
    }
}

/// SQLite's largest number of parameters in one statement.
const MAX_PARAMS: usize = 32766;

fn params<'js>(ctx: &Ctx<'js>, args: Value<'js>) -> rquickjs::Result<Vec<SqlValue>> {
    bounded_items(ctx, &args, "the parameter list", MAX_PARAMS)?
        .into_iter()
        .map(|v| to_sql(ctx, v))
        .collect()
}

/// The connection slot of this runtime. Nothing `f` does may run JavaScript
/// (rows are built with defined properties, never set through setters), but
/// a re-entrant call is refused all the same rather than deadlocking.
fn with_slot<'js, R>(
    ctx: &Ctx<'js>,
    f: impl FnOnce(&mut Option<Connection>) -> rquickjs::Result<R>,
) -> rquickjs::Result<R> {
    let state = RuntimeState::of(ctx);
    let mut slot = state.database().ok_or_else(|| {
        throw_error(
            ctx,
            "database: the connection is in use by a call further up the stack",
            "ERR_DATABASE_BUSY",
            &[],
        )
    })?;
    f(&mut slot)
}

fn with_connection<'js, R>(
    ctx: &Ctx<'js>,
    f: impl FnOnce(&Connection) -> rquickjs::Result<R>,
) -> rquickjs::Result<R> {
    with_slot(ctx, |slot| {
        let connection = slot.as_ref().ok_or_else(|| not_configured(ctx))?;
        f(connection)
    })
}

/// Opens the database `dsn` names, as the runtime's policy allows: the module
/// must be allowed, a file must lie under the root, and the name is always a
/// plain path (never a `file:` URI, which could name a file outside the root).
fn open(ctx: &Ctx<'_>, dsn: &str) -> rquickjs::Result<Connection> {
    use rusqlite::OpenFlags;
    let in_memory = dsn.is_empty() || dsn == ":memory:";
    let path = if in_memory {
        module_allowed(ctx, "database")?;
        dsn.to_string()
    } else {
        confine(ctx, "database", dsn)?
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(&path, flags).map_err(|e| sql_error(ctx, e))?;
    let state = RuntimeState::of(ctx);
    // A long query ends at the runtime's deadline like a loop does: SQLite
    // asks every few thousand instructions.
    if state.clock.is_timed() {
        let clock = state.clock.clone();
        connection.progress_handler(4096, Some(move || clock.expired()));
    }
    // No single string or BLOB beyond the heap limit: it could never reach
    // the script, and SQLite would build it in host memory first.
    if let Some(limit) = state.memory_limit {
        let limit = i32::try_from(limit).unwrap_or(i32::MAX);
        connection
            .set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH, limit)
            .map_err(|e| sql_error(ctx, e))?;
    }
    // An in-memory database (and temporary tables) live in host memory: at
    // most the heap limit's worth of pages.
    if let Some(limit) = state.memory_limit {
        let pages = (limit / 4096).max(16);
        let schemas: &[&str] = if in_memory {
            &["main", "temp"]
        } else {
            &["temp"]
        };
        for schema in schemas {
            connection
                .execute_batch(&format!("PRAGMA {schema}.max_page_count = {pages}"))
                .map_err(|e| sql_error(ctx, e))?;
        }
    }
    let confined = state.policy.root.is_some();
    connection.authorizer(Some(move |context: rusqlite::hooks::AuthContext<'_>| {
        use rusqlite::hooks::{AuthAction, Authorization};
        match context.action {
            // ATTACH and VACUUM INTO would open other files by name, outside
            // the check above: a confined runtime may not use them.
            AuthAction::Attach { .. } if confined => Authorization::Deny,
            AuthAction::Pragma { pragma_name, .. } if !pragma_allowed(pragma_name) => {
                Authorization::Deny
            }
            _ => Authorization::Allow,
        }
    }));
    Ok(connection)
}

/// Pragmas a script may not run: those that change SQLite's state for the
/// whole process (every runtime's connections, the call log, the host's own
/// SQLite) and the page limit that holds a database to the heap limit.
const DENIED_PRAGMAS: [&str; 6] = [
    "hard_heap_limit",
    "soft_heap_limit",
    "temp_store_directory",
    "data_store_directory",
    "max_page_count",
    "mmap_size",
];

fn pragma_allowed(name: &str) -> bool {
    !DENIED_PRAGMAS
        .iter()
        .any(|denied| name.eq_ignore_ascii_case(denied))
}

/// Builds the binding object. Its functions capture nothing: each finds the
/// runtime's connection through the context.
pub(crate) fn binding<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    let b = Object::new(ctx.clone())?;
    b.set("configure", Function::new(ctx.clone(), configure)?)?;
    b.set("query", Function::new(ctx.clone(), query)?)?;
    b.set("exec", Function::new(ctx.clone(), exec)?)?;
    b.set("close", Function::new(ctx.clone(), close)?)?;
    Ok(b)
}

/// `configure(driver, dsn)`: opens this runtime's connection, closing the
/// previous one.
fn configure(ctx: Ctx<'_>, driver: String, dsn: String) -> rquickjs::Result<()> {
    if driver != "sqlite3" && driver != "sqlite" {
        return Err(throw_error(
            &ctx,
            &format!(
                "database: unsupported driver {driver:?}; supported drivers: 'sqlite3', 'sqlite'"
            ),
            "ERR_UNSUPPORTED_DRIVER",
            &[],
        ));
    }
    if RuntimeState::of(&ctx).building_image() {
        // The connection would stay with the image build, not reach runtimes.
        return Err(throw_error(
            &ctx,
            "database: configure() cannot run while a heap image is built; call it in each runtime",
            "ERR_JSBOX_HEAP_IMAGE",
            &[],
        ));
    }
    let connection = open(&ctx, &dsn)?;
    with_slot(&ctx, |slot| {
        *slot = Some(connection);
        Ok(())
    })
}

/// `query(sql, params, blobPrototype)`: `[rows, blobs]`, the rows as objects
/// and how many BLOB cells they hold. `blob_proto`, the prototype BLOBs get
/// (Buffer.prototype), is set natively so no JavaScript runs while the
/// connection is in use; without it (Buffer not loaded yet, which most
/// queries never need) the caller gives the BLOBs their prototype when
/// `blobs` says there are any.
fn query<'js>(
    ctx: Ctx<'js>,
    sql: String,
    args: Value<'js>,
    blob_proto: Opt<Value<'js>>,
) -> rquickjs::Result<rquickjs::Array<'js>> {
    let mut blobs = 0u32;
    let values = params(&ctx, args)?;
    with_connection(&ctx, |connection| {
        let mut statement = connection.prepare(&sql).map_err(|e| sql_error(&ctx, e))?;
        let names: Vec<String> = statement
            .column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        let mut rows = statement
            .query(rusqlite::params_from_iter(values.iter()))
            .map_err(|e| sql_error(&ctx, e))?;
        let out = rquickjs::Array::new(ctx.clone())?;
        let mut index: u32 = 0;
        while let Some(row) = rows.next().map_err(|e| sql_error(&ctx, e))? {
            let object = Object::new(ctx.clone())?;
            for (column, name) in names.iter().enumerate() {
                let value = row.get_ref(column).map_err(|e| sql_error(&ctx, e))?;
                let is_blob = matches!(value, ValueRef::Blob(_));
                blobs += u32::from(is_blob);
                let value = to_js(&ctx, value)?;
                if let (true, Some(proto), Some(blob)) = (
                    is_blob,
                    blob_proto.0.as_ref().and_then(Value::as_object),
                    value.as_object(),
                ) {
                    blob.set_prototype(Some(proto))?;
                }
                // Defined, not set: a setter a script put on
                // Object.prototype never runs here.
                define(&object, name.as_str(), value)?;
            }
            define(&out, index, object)?;
            index += 1;
        }
        let result = rquickjs::Array::new(ctx.clone())?;
        define(&result, 0, out)?;
        define(&result, 1, blobs)?;
        Ok(result)
    })
}

/// Defines an ordinary (writable, enumerable, configurable) data property,
/// as an assignment would make it, without running setters a script put on
/// a prototype.
fn define<'js, K, V>(object: &Object<'js>, key: K, value: V) -> rquickjs::Result<()>
where
    K: rquickjs::IntoAtom<'js>,
    V: rquickjs::IntoJs<'js>,
{
    let property = rquickjs::object::Property::from(value)
        .writable()
        .enumerable()
        .configurable();
    object.prop(key, property)
}

/// `exec(sql, params)`: `{ success, rowsAffected, lastInsertId }`.
fn exec<'js>(ctx: Ctx<'js>, sql: String, args: Value<'js>) -> rquickjs::Result<Object<'js>> {
    let values = params(&ctx, args)?;
    with_connection(&ctx, |connection| {
        let changed = if values.is_empty() {
            // Without parameters, several statements may run at once.
            connection
                .execute_batch(&sql)
                .map_err(|e| sql_error(&ctx, e))?;
            connection.changes()
        } else {
            connection
                .execute(&sql, rusqlite::params_from_iter(values.iter()))
                .map_err(|e| sql_error(&ctx, e))? as u64
        };
        let result = Object::new(ctx.clone())?;
        define(&result, "success", true)?;
        define(&result, "rowsAffected", changed as f64)?;
        define(
            &result,
            "lastInsertId",
            connection.last_insert_rowid() as f64,
        )?;
        Ok(result)
    })
}

/// `close()`: whether there was a connection to close.
fn close(ctx: Ctx<'_>) -> rquickjs::Result<bool> {
    match with_slot(&ctx, |slot| Ok(slot.take()))? {
        Some(connection) => connection
            .close()
            .map(|_| true)
            .map_err(|(_, e)| sql_error(&ctx, e)),
        None => Ok(false),
    }
}
