//! The native half of `database`: one SQLite connection per runtime (bundled
//! SQLite through rusqlite, nothing to install).
//!
//! The connection lives in the closures of this runtime's binding, so two
//! runtimes never share one: the Go toolkit's single global instance
//! leaked state between runtimes.

use std::cell::RefCell;
use std::rc::Rc;

use rquickjs::function::Opt;
use rquickjs::{BigInt, Ctx, Function, Object, TypedArray, Value};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::Connection;

use super::guard::{confine, module_allowed};
use super::node_error::throw_error;
use crate::jsvalues::{bounded_items, call_method};
use crate::runtime::RuntimeState;

type Slot = Rc<RefCell<Option<Connection>>>;

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

fn with_connection<'js, R>(
    ctx: &Ctx<'js>,
    slot: &Slot,
    f: impl FnOnce(&Connection) -> rquickjs::Result<R>,
) -> rquickjs::Result<R> {
    let guard = slot.borrow();
    let connection = guard.as_ref().ok_or_else(|| not_configured(ctx))?;
    f(connection)
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
    if state.policy.root.is_some() {
        // ATTACH and VACUUM INTO would open other files by name, outside the
        // check above: a confined runtime may not use them.
        connection.authorizer(Some(|context: rusqlite::hooks::AuthContext<'_>| {
            use rusqlite::hooks::{AuthAction, Authorization};
            match context.action {
                AuthAction::Attach { .. } => Authorization::Deny,
                _ => Authorization::Allow,
            }
        }));
    }
    Ok(connection)
}

/// Builds the binding object for one runtime, with its own connection slot.
pub(crate) fn binding<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    let b = Object::new(ctx.clone())?;
    let slot: Slot = Rc::new(RefCell::new(None));

    let s = slot.clone();
    b.set(
        "configure",
        Function::new(ctx.clone(), move |ctx: Ctx<'js>, driver: String, dsn: String| -> rquickjs::Result<()> {
            if driver != "sqlite3" && driver != "sqlite" {
                return Err(throw_error(
                    &ctx,
                    &format!("database: unsupported driver {driver:?}; supported drivers: 'sqlite3', 'sqlite'"),
                    "ERR_UNSUPPORTED_DRIVER",
                    &[],
                ));
            }
            let connection = open(&ctx, &dsn)?;
            *s.borrow_mut() = Some(connection);
            Ok(())
        })?,
    )?;

    let s = slot.clone();
    b.set(
        "query",
        Function::new(
            ctx.clone(),
            // `blob_proto`: the prototype BLOBs get (Buffer.prototype), set
            // natively so no JavaScript runs while the connection is in use.
            move |ctx: Ctx<'js>, sql: String, args: Value<'js>, blob_proto: Opt<Object<'js>>| {
                let values = params(&ctx, args)?;
                with_connection(&ctx, &s, |connection| {
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
                    let mut index = 0;
                    while let Some(row) = rows.next().map_err(|e| sql_error(&ctx, e))? {
                        let object = Object::new(ctx.clone())?;
                        for (column, name) in names.iter().enumerate() {
                            let value = row.get_ref(column).map_err(|e| sql_error(&ctx, e))?;
                            let is_blob = matches!(value, ValueRef::Blob(_));
                            let value = to_js(&ctx, value)?;
                            if let (true, Some(proto), Some(blob)) =
                                (is_blob, blob_proto.0.as_ref(), value.as_object())
                            {
                                blob.set_prototype(Some(proto))?;
                            }
                            object.set(name.as_str(), value)?;
                        }
                        out.set(index, object)?;
                        index += 1;
                    }
                    Ok(out)
                })
            },
        )?,
    )?;

    let s = slot.clone();
    b.set(
        "exec",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>, sql: String, args: Value<'js>| {
                let values = params(&ctx, args)?;
                with_connection(&ctx, &s, |connection| {
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
                    result.set("success", true)?;
                    result.set("rowsAffected", changed as f64)?;
                    result.set("lastInsertId", connection.last_insert_rowid() as f64)?;
                    Ok(result)
                })
            },
        )?,
    )?;

    let s = slot;
    b.set(
        "close",
        Function::new(
            ctx.clone(),
            move |ctx: Ctx<'js>| -> rquickjs::Result<bool> {
                match s.borrow_mut().take() {
                    Some(connection) => connection
                        .close()
                        .map(|_| true)
                        .map_err(|(_, e)| sql_error(&ctx, e)),
                    None => Ok(false),
                }
            },
        )?,
    )?;
    Ok(b)
}
