//! One way for the store to run a statement on either engine. Two shapes: [`Db`], a
//! connection called synchronously (SQLite through rusqlite, on the writer's thread and the
//! reader's, see `writer`; PostgreSQL through sqlx, each statement awaited on the calling
//! thread, which is never one of the runtime's), and [`Pool`], sqlx's pool of either engine
//! for the reads requests await, whose rows are read into `sqlx::FromRow` types.
//!
//! The store writes one SQL text for both: `?` placeholders (numbered `?1` too), which become
//! `$1`, `$2`, … for PostgreSQL; values are text, integers or nulls, as both schemas store
//! them (see `migrations-postgres/`). What the engines truly differ in — starting a write
//! transaction, telling a broken CHECK or UNIQUE — is answered here.

use std::borrow::Cow;
use std::cell::RefCell;

use rusqlite::types::{ToSqlOutput, ValueRef};
use sqlx::postgres::{PgArguments, PgConnection, PgPool, PgRow};
use sqlx::sqlite::{SqliteArguments, SqlitePool, SqliteRow};
use sqlx::{Arguments, Column as _, FromRow, Row as _, TypeInfo as _};

use crate::error::{ApiError, ApiResult};

/// A connection the store runs statements on (the writer's, lent to each job as a
/// [`Tx`](crate::writer::Tx) inside its transaction, or a reader's).
pub enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(Pg),
}

/// A PostgreSQL connection driven from a thread of its own: each statement is awaited there.
pub struct Pg {
    connection: RefCell<PgConnection>,
    runtime: tokio::runtime::Handle,
}

impl Pg {
    /// Connects to `url`; `runtime` runs the connection's I/O (the caller must not be one of
    /// its threads).
    pub fn connect(url: &str, runtime: tokio::runtime::Handle) -> ApiResult<Pg> {
        use sqlx::Connection as _;
        let connection = runtime.block_on(PgConnection::connect(url))?;
        Ok(Pg {
            connection: RefCell::new(connection),
            runtime,
        })
    }
}

/// A value bound to a statement.
pub enum Value<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    /// A photo's bytes (BLOB on SQLite, BYTEA on PostgreSQL).
    Bytes(Cow<'a, [u8]>),
    /// PostgreSQL types every parameter: a null says which column type it stands for.
    NullText,
    NullInt,
}

impl Value<'static> {
    pub fn text(text: impl Into<String>) -> Value<'static> {
        Value::Text(Cow::Owned(text.into()))
    }
}

impl Arg for Value<'_> {
    fn value(&self) -> Value<'_> {
        match self {
            Value::Text(text) => Value::Text(Cow::Borrowed(text)),
            Value::Int(number) => Value::Int(*number),
            Value::Bytes(bytes) => Value::Bytes(Cow::Borrowed(bytes)),
            Value::NullText => Value::NullText,
            Value::NullInt => Value::NullInt,
        }
    }
}

/// What can be bound to a statement (`&[&dyn Arg]`, or [`args!`](crate::args)).
pub trait Arg: Sync {
    fn value(&self) -> Value<'_>;
}

/// The null of a type, for `Option`s of it.
pub trait Nullable {
    const NULL: Value<'static>;
}

impl Arg for str {
    fn value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}
impl Nullable for str {
    const NULL: Value<'static> = Value::NullText;
}
impl Arg for String {
    fn value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}
impl Nullable for String {
    const NULL: Value<'static> = Value::NullText;
}
impl Arg for [u8] {
    fn value(&self) -> Value<'_> {
        Value::Bytes(Cow::Borrowed(self))
    }
}
impl Arg for Vec<u8> {
    fn value(&self) -> Value<'_> {
        Value::Bytes(Cow::Borrowed(self))
    }
}
impl<T: Arg + ?Sized> Arg for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}
impl<T: Nullable + ?Sized> Nullable for &T {
    const NULL: Value<'static> = T::NULL;
}
impl<T: Arg + Nullable> Arg for Option<T> {
    fn value(&self) -> Value<'_> {
        match self {
            Some(value) => value.value(),
            None => T::NULL,
        }
    }
}

macro_rules! integer_args {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn value(&self) -> Value<'_> {
                Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
        impl Nullable for $t {
            const NULL: Value<'static> = Value::NullInt;
        }
    )*};
}
integer_args!(i64, i32, u32, u64, usize);

/// Times and dates are stored as text, as [`super::stamp`] and [`super::day`] write them.
impl Arg for chrono::DateTime<chrono::Utc> {
    fn value(&self) -> Value<'_> {
        Value::Text(Cow::Owned(super::stamp(*self)))
    }
}
impl Nullable for chrono::DateTime<chrono::Utc> {
    const NULL: Value<'static> = Value::NullText;
}
impl Arg for chrono::NaiveDate {
    fn value(&self) -> Value<'_> {
        Value::Text(Cow::Owned(super::day(*self)))
    }
}
impl Nullable for chrono::NaiveDate {
    const NULL: Value<'static> = Value::NullText;
}

impl Arg for bool {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

/// `&[&dyn Arg]` of the values given, as rusqlite's `params!` makes them.
#[macro_export]
macro_rules! args {
    () => { &[] as &[&dyn $crate::store::sql::Arg] };
    ($($value:expr),+ $(,)?) => { &[$(&$value as &dyn $crate::store::sql::Arg),+] as &[&dyn $crate::store::sql::Arg] };
}

impl rusqlite::ToSql for dyn Arg + '_ {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.value() {
            Value::Text(Cow::Borrowed(text)) => {
                ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes()))
            }
            Value::Text(Cow::Owned(text)) => ToSqlOutput::Owned(text.into()),
            Value::Int(number) => ToSqlOutput::Owned(number.into()),
            Value::Bytes(Cow::Borrowed(bytes)) => ToSqlOutput::Borrowed(ValueRef::Blob(bytes)),
            Value::Bytes(Cow::Owned(bytes)) => ToSqlOutput::Owned(bytes.into()),
            Value::NullText | Value::NullInt => ToSqlOutput::Owned(rusqlite::types::Value::Null),
        })
    }
}

/// A row a statement returned.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r PgRow),
}

/// A column's position or name.
pub trait Index: rusqlite::RowIndex + sqlx::ColumnIndex<PgRow> + Copy + std::fmt::Debug {}
impl Index for usize {}
impl Index for &str {}

/// A type a column is read as.
pub trait Column: Sized {
    fn from_sqlite(row: &rusqlite::Row, index: impl Index) -> rusqlite::Result<Self>;
    fn from_postgres(row: &PgRow, index: impl Index) -> ApiResult<Self>;
}

impl Column for String {
    fn from_sqlite(row: &rusqlite::Row, index: impl Index) -> rusqlite::Result<Self> {
        row.get(index)
    }
    fn from_postgres(row: &PgRow, index: impl Index) -> ApiResult<Self> {
        Ok(row.try_get(index)?)
    }
}

impl Column for Option<String> {
    fn from_sqlite(row: &rusqlite::Row, index: impl Index) -> rusqlite::Result<Self> {
        row.get(index)
    }
    fn from_postgres(row: &PgRow, index: impl Index) -> ApiResult<Self> {
        Ok(row.try_get(index)?)
    }
}

impl Column for i64 {
    fn from_sqlite(row: &rusqlite::Row, index: impl Index) -> rusqlite::Result<Self> {
        row.get(index)
    }
    fn from_postgres(row: &PgRow, index: impl Index) -> ApiResult<Self> {
        postgres_integer(row, index)?
            .ok_or_else(|| ApiError::Corrupt(format!("column {index:?} is null")))
    }
}

impl Column for Option<i64> {
    fn from_sqlite(row: &rusqlite::Row, index: impl Index) -> rusqlite::Result<Self> {
        row.get(index)
    }
    fn from_postgres(row: &PgRow, index: impl Index) -> ApiResult<Self> {
        postgres_integer(row, index)
    }
}

impl Column for bool {
    fn from_sqlite(row: &rusqlite::Row, index: impl Index) -> rusqlite::Result<Self> {
        row.get(index)
    }
    fn from_postgres(row: &PgRow, index: impl Index) -> ApiResult<Self> {
        Ok(i64::from_postgres(row, index)? != 0)
    }
}

/// An integer column of any width (`CASE … THEN 1` is an `integer`, `COUNT(*)` a `bigint`).
/// A `SUM` is `numeric` on PostgreSQL: the store casts it to `BIGINT`.
fn postgres_integer(row: &PgRow, index: impl Index) -> ApiResult<Option<i64>> {
    let position = index.index(row)?;
    match row.column(position).type_info().name() {
        "INT8" => Ok(row.try_get::<Option<i64>, _>(position)?),
        "INT4" => Ok(row.try_get::<Option<i32>, _>(position)?.map(i64::from)),
        "INT2" => Ok(row.try_get::<Option<i16>, _>(position)?.map(i64::from)),
        "BOOL" => Ok(row.try_get::<Option<bool>, _>(position)?.map(i64::from)),
        other => Err(ApiError::Corrupt(format!(
            "column {index:?} is {other}, not an integer (cast it in the SQL)"
        ))),
    }
}

impl Row<'_> {
    /// The column at `index` (a position or a name) as a `T`.
    pub fn get<I: Index, T: Column>(&self, index: I) -> ApiResult<T> {
        match self {
            Row::Sqlite(row) => Ok(T::from_sqlite(row, index)?),
            Row::Postgres(row) => T::from_postgres(row, index),
        }
    }
}

impl Db {
    /// Runs a statement; how many rows it changed.
    pub fn execute(&self, sql: &str, args: &[&dyn Arg]) -> ApiResult<usize> {
        match self {
            Db::Sqlite(connection) => Ok(connection
                .prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(args))?),
            Db::Postgres(pg) => {
                let sql = numbered(sql);
                let query = sqlx::query_with(&sql, postgres_args(args)?);
                let done = pg
                    .runtime
                    .block_on(query.execute(&mut *pg.connection.borrow_mut()))?;
                Ok(done.rows_affected() as usize)
            }
        }
    }

    /// Runs one statement without parameters (transaction control: BEGIN, COMMIT, ROLLBACK).
    pub fn batch(&self, sql: &str) -> ApiResult<()> {
        match self {
            Db::Sqlite(connection) => Ok(connection.execute_batch(sql)?),
            Db::Postgres(pg) => {
                use sqlx::Executor as _;
                let mut connection = pg.connection.borrow_mut();
                pg.runtime.block_on(connection.execute(sql))?;
                Ok(())
            }
        }
    }

    /// Every row a query returns, each read by `read`.
    pub fn query<T>(
        &self,
        sql: &str,
        args: &[&dyn Arg],
        mut read: impl FnMut(&Row) -> ApiResult<T>,
    ) -> ApiResult<Vec<T>> {
        let mut found = Vec::new();
        match self {
            Db::Sqlite(connection) => {
                let mut statement = connection.prepare_cached(sql)?;
                let mut rows = statement.query(rusqlite::params_from_iter(args))?;
                while let Some(row) = rows.next()? {
                    found.push(read(&Row::Sqlite(row))?);
                }
            }
            Db::Postgres(pg) => {
                let sql = numbered(sql);
                let query = sqlx::query_with(&sql, postgres_args(args)?);
                let rows = pg
                    .runtime
                    .block_on(query.fetch_all(&mut *pg.connection.borrow_mut()))?;
                for row in &rows {
                    found.push(read(&Row::Postgres(row))?);
                }
            }
        }
        Ok(found)
    }

    /// The first row a query returns, read by `read`; `None` when there is none.
    pub fn query_row<T>(
        &self,
        sql: &str,
        args: &[&dyn Arg],
        read: impl FnOnce(&Row) -> ApiResult<T>,
    ) -> ApiResult<Option<T>> {
        match self {
            Db::Sqlite(connection) => {
                let mut statement = connection.prepare_cached(sql)?;
                let mut rows = statement.query(rusqlite::params_from_iter(args))?;
                match rows.next()? {
                    Some(row) => read(&Row::Sqlite(row)).map(Some),
                    None => Ok(None),
                }
            }
            Db::Postgres(pg) => {
                let sql = numbered(sql);
                let query = sqlx::query_with(&sql, postgres_args(args)?);
                let row = pg
                    .runtime
                    .block_on(query.fetch_optional(&mut *pg.connection.borrow_mut()))?;
                row.as_ref()
                    .map(|row| read(&Row::Postgres(row)))
                    .transpose()
            }
        }
    }

    /// Starts the write transaction: SQLite takes the file's write lock at once (a read
    /// first would have to be retried); PostgreSQL runs at READ COMMITTED, a command locking
    /// the rows it reads to change (`FOR UPDATE`), so writers on other connections wait only
    /// where they touch the same rows.
    pub fn begin_write(&self) -> ApiResult<()> {
        match self {
            Db::Sqlite(_) => self.batch("BEGIN IMMEDIATE"),
            Db::Postgres(_) => self.batch("BEGIN"),
        }
    }

    /// Whether a transaction is open (after a failure, to know whether to roll back).
    pub fn in_transaction(&self) -> bool {
        match self {
            Db::Sqlite(connection) => !connection.is_autocommit(),
            // A failed statement leaves the transaction open (aborted) on PostgreSQL;
            // rolling back outside one is only a warning.
            Db::Postgres(_) => true,
        }
    }

    /// Makes other transactions that take the same `key` wait until this one ends (what a
    /// read-then-write on rows that may not exist yet needs, such as counting a login
    /// attempt): nothing on SQLite, whose writer already holds the whole file.
    pub fn lock_key(&self, key: &str) -> ApiResult<()> {
        match self {
            Db::Sqlite(_) => Ok(()),
            Db::Postgres(_) => {
                self.query(
                    "SELECT CAST(1 AS BIGINT) FROM (SELECT pg_advisory_xact_lock(hashtextextended(?, 0))) AS locked",
                    crate::args![key],
                    |_| Ok(()),
                )?;
                Ok(())
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }

    /// Whether the connection still answers (a PostgreSQL server may have gone away; a
    /// SQLite file is always there).
    pub fn answers(&self) -> bool {
        match self {
            Db::Sqlite(_) => true,
            Db::Postgres(_) => {
                // Whatever the failure left open is rolled back first (a warning outside one).
                let _ = self.batch("ROLLBACK");
                self.batch("SELECT 1").is_ok()
            }
        }
    }
}

/// What a failed statement (or commit) means to whoever asked, told once for both engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The database stayed locked by another writer past the wait (SQLite's busy or locked),
    /// had no connection to spare, or was out of reach (PostgreSQL restarting, the connection
    /// lost): come back shortly. After a lost connection a commit may have happened unheard;
    /// a retry with the same id is answered the stored result, never a second write.
    Busy,
    /// PostgreSQL refused a serialization or broke a deadlock by failing this statement:
    /// running the command again succeeds.
    Serialization,
    /// A UNIQUE (or primary key) constraint: the id or key is taken.
    Unique,
    /// A CHECK constraint: a quantity rule.
    Check,
    /// A FOREIGN KEY constraint: what the row refers to does not exist.
    ForeignKey,
    /// Anything else: a bug, a lost connection, a full disk.
    Other,
}

/// A statement or commit that failed, with what it means.
#[derive(Debug, Clone, thiserror::Error)]
#[error("database error ({failure:?}): {cause}")]
pub struct StoreError {
    pub failure: Failure,
    cause: std::sync::Arc<dyn std::error::Error + Send + Sync>,
}

impl StoreError {
    /// A failure the engines did not report (the writer's own, say), unclassified.
    pub fn other(cause: impl Into<String>) -> StoreError {
        let cause: Box<dyn std::error::Error + Send + Sync> = cause.into().into();
        StoreError {
            failure: Failure::Other,
            cause: cause.into(),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        use rusqlite::ffi;
        let failure = match error.sqlite_error() {
            Some(error) => match (error.code, error.extended_code) {
                (ffi::ErrorCode::DatabaseBusy | ffi::ErrorCode::DatabaseLocked, _) => Failure::Busy,
                (_, ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY) => {
                    Failure::Unique
                }
                (_, ffi::SQLITE_CONSTRAINT_CHECK) => Failure::Check,
                (_, ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => Failure::ForeignKey,
                _ => Failure::Other,
            },
            None => Failure::Other,
        };
        StoreError {
            failure,
            cause: std::sync::Arc::new(error),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> StoreError {
        use sqlx::error::ErrorKind;
        let failure = match &error {
            sqlx::Error::Database(database) => match database.kind() {
                ErrorKind::UniqueViolation => Failure::Unique,
                ErrorKind::CheckViolation => Failure::Check,
                ErrorKind::ForeignKeyViolation => Failure::ForeignKey,
                _ => {
                    match database.code().as_deref() {
                        // PostgreSQL: serialization failure, deadlock detected.
                        Some("40001" | "40P01") => Failure::Serialization,
                        // PostgreSQL: lock not available, too many connections, shutting
                        // down or starting up, a connection exception.
                        Some("55P03" | "53300" | "57P01" | "57P02" | "57P03") => Failure::Busy,
                        Some(code) if code.starts_with("08") => Failure::Busy,
                        // SQLite (its extended code, in decimal): busy or locked.
                        Some(code) if sqlite_busy(code) => Failure::Busy,
                        _ => Failure::Other,
                    }
                }
            },
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                Failure::Busy
            }
            _ => Failure::Other,
        };
        StoreError {
            failure,
            cause: std::sync::Arc::new(error),
        }
    }
}

/// Whether a SQLite extended result code (as sqlx writes it) is busy or locked.
fn sqlite_busy(code: &str) -> bool {
    code.parse::<i32>().is_ok_and(|code| {
        matches!(
            code & 0xff,
            rusqlite::ffi::SQLITE_BUSY | rusqlite::ffi::SQLITE_LOCKED
        )
    })
}

/// The database requests read from (and the few writes that bypass the writer: sessions).
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A row type either engine can read (`#[derive(sqlx::FromRow)]`, or a tuple), its columns
/// of types both decode: text, integers (`BIGINT`: cast computed ones), booleans as integers.
pub trait Record:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Record for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// Runs `$sql` with `$args` on the pool's engine, finishing the query with `$run`
/// (`fetch_all`, `fetch_one`, …) and its answer with `$then`.
macro_rules! on_pool {
    ($pool:expr, $sql:expr, $args:expr, $make:ident, $run:ident $(, $then:ident)?) => {
        match $pool {
            Pool::Sqlite(pool) => {
                sqlx::$make($sql, sqlite_args($args)?).$run(pool).await? $(.$then())?
            }
            Pool::Postgres(pool) => {
                let sql = numbered($sql);
                sqlx::$make(&sql, postgres_args($args)?).$run(pool).await? $(.$then())?
            }
        }
    };
}

impl Pool {
    /// Every row of a query.
    pub async fn fetch_all<T: Record>(&self, sql: &str, args: &[&dyn Arg]) -> ApiResult<Vec<T>> {
        Ok(on_pool!(self, sql, args, query_as_with, fetch_all))
    }

    /// The first row of a query, if any.
    pub async fn fetch_optional<T: Record>(
        &self,
        sql: &str,
        args: &[&dyn Arg],
    ) -> ApiResult<Option<T>> {
        Ok(on_pool!(self, sql, args, query_as_with, fetch_optional))
    }

    /// The one row a query returns (an aggregate).
    pub async fn fetch_one<T: Record>(&self, sql: &str, args: &[&dyn Arg]) -> ApiResult<T> {
        Ok(on_pool!(self, sql, args, query_as_with, fetch_one))
    }

    /// Runs a statement; how many rows it changed.
    pub async fn execute(&self, sql: &str, args: &[&dyn Arg]) -> ApiResult<u64> {
        Ok(on_pool!(
            self,
            sql,
            args,
            query_with,
            execute,
            rows_affected
        ))
    }

    /// `column` compared with a `LIKE` pattern (bound next), ignoring the case of ASCII
    /// letters on both engines as SQLite's `LIKE` does (and core's search over a phone's
    /// cache); the pattern is given in lower case.
    pub fn like(&self, column: &str) -> String {
        match self {
            Pool::Sqlite(_) => format!("{column} LIKE "),
            Pool::Postgres(_) => format!("LOWER({column}) LIKE "),
        }
    }

    /// The SQLite pool, for what only SQLite does (a file copy, the tests' own SQL).
    pub fn sqlite(&self) -> Option<&SqlitePool> {
        match self {
            Pool::Sqlite(pool) => Some(pool),
            Pool::Postgres(_) => None,
        }
    }
}

/// A statement put together piece by piece (filters, lists of ids), with its values.
#[derive(Default)]
pub struct Statement {
    pub sql: String,
    values: Vec<Value<'static>>,
}

impl Statement {
    pub fn new(sql: impl Into<String>) -> Statement {
        Statement {
            sql: sql.into(),
            values: Vec::new(),
        }
    }

    pub fn push(&mut self, sql: impl AsRef<str>) -> &mut Statement {
        self.sql.push_str(sql.as_ref());
        self
    }

    /// A `?` bound to `value`.
    pub fn push_bind(&mut self, value: impl Arg) -> &mut Statement {
        self.sql.push('?');
        self.values.push(value.value().into_owned());
        self
    }

    /// `(?, ?, …)` with each of `values` bound: a list of ids, or a set of core's vocabulary
    /// (`WishStatus::PUBLIC`, `ClaimStatus::HOLDING`), so that SQL never spells a status.
    pub fn push_list<T: ToString>(&mut self, values: &[T]) -> &mut Statement {
        self.sql.push('(');
        for (n, value) in values.iter().enumerate() {
            if n > 0 {
                self.sql.push_str(", ");
            }
            self.push_bind(value.to_string());
        }
        self.sql.push(')');
        self
    }

    /// The bound values, in order.
    pub fn args(&self) -> Vec<&dyn Arg> {
        self.values.iter().map(|value| value as &dyn Arg).collect()
    }
}

impl Value<'_> {
    fn into_owned(self) -> Value<'static> {
        match self {
            Value::Text(text) => Value::Text(Cow::Owned(text.into_owned())),
            Value::Int(number) => Value::Int(number),
            Value::Bytes(bytes) => Value::Bytes(Cow::Owned(bytes.into_owned())),
            Value::NullText => Value::NullText,
            Value::NullInt => Value::NullInt,
        }
    }
}

/// A column stored as text and read as a `T` (a time, a date: PostgreSQL keeps them as the
/// same RFC 3339 text SQLite does, see `migrations-postgres/`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Parsed<T>(pub T);

/// A yes/no column, stored as an integer (0 or 1) on both engines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flag(pub bool);

/// How both engines read [`Parsed`] (from text) and [`Flag`] (from an integer).
macro_rules! decoded_on {
    ($db:ident, $module:ident, $info:ident, $value:ident) => {
        impl<T> sqlx::Type<sqlx::$db> for Parsed<T> {
            fn type_info() -> sqlx::$module::$info {
                <String as sqlx::Type<sqlx::$db>>::type_info()
            }
            fn compatible(ty: &sqlx::$module::$info) -> bool {
                <String as sqlx::Type<sqlx::$db>>::compatible(ty)
            }
        }

        impl<'r, T: std::str::FromStr> sqlx::Decode<'r, sqlx::$db> for Parsed<T>
        where
            T::Err: std::fmt::Display,
        {
            fn decode(value: sqlx::$module::$value<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                parse(<&str as sqlx::Decode<sqlx::$db>>::decode(value)?)
            }
        }

        impl sqlx::Type<sqlx::$db> for Flag {
            fn type_info() -> sqlx::$module::$info {
                <i64 as sqlx::Type<sqlx::$db>>::type_info()
            }
            fn compatible(ty: &sqlx::$module::$info) -> bool {
                <i64 as sqlx::Type<sqlx::$db>>::compatible(ty)
                    || <bool as sqlx::Type<sqlx::$db>>::compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::$db> for Flag {
            fn decode(value: sqlx::$module::$value<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                Ok(Flag(<i64 as sqlx::Decode<sqlx::$db>>::decode(value)? != 0))
            }
        }
    };
}

decoded_on!(Sqlite, sqlite, SqliteTypeInfo, SqliteValueRef);
decoded_on!(Postgres, postgres, PgTypeInfo, PgValueRef);

fn parse<T: std::str::FromStr>(text: &str) -> Result<Parsed<T>, sqlx::error::BoxDynError>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map(Parsed)
        .map_err(|error| format!("stored {text:?}: {error}").into())
}

fn sqlite_args(args: &[&dyn Arg]) -> ApiResult<SqliteArguments<'static>> {
    bind(args)
}

fn postgres_args(args: &[&dyn Arg]) -> ApiResult<PgArguments> {
    bind(args)
}

/// `args` as an engine's bound arguments.
fn bind<'q, A>(args: &[&dyn Arg]) -> ApiResult<A>
where
    A: Arguments<'q> + Default,
    String: sqlx::Encode<'q, A::Database> + sqlx::Type<A::Database>,
    i64: sqlx::Encode<'q, A::Database> + sqlx::Type<A::Database>,
    Option<String>: sqlx::Encode<'q, A::Database> + sqlx::Type<A::Database>,
    Option<i64>: sqlx::Encode<'q, A::Database> + sqlx::Type<A::Database>,
    Vec<u8>: sqlx::Encode<'q, A::Database> + sqlx::Type<A::Database>,
{
    let mut bound = A::default();
    for arg in args {
        let added = match arg.value() {
            Value::Text(text) => bound.add(text.into_owned()),
            Value::Int(number) => bound.add(number),
            Value::Bytes(bytes) => bound.add(bytes.into_owned()),
            Value::NullText => bound.add(None::<String>),
            Value::NullInt => bound.add(None::<i64>),
        };
        added.map_err(|error| ApiError::Internal(format!("binding a value: {error}")))?;
    }
    Ok(bound)
}

/// The statement with PostgreSQL's placeholders, numbered as SQLite numbers them: `?N` is
/// `$N`, and a bare `?` is one more than the largest number before it; a `?` inside a quoted
/// string stays.
pub fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut next = 0;
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    let mut number = String::new();
                    while let Some(digit) = chars.next_if(char::is_ascii_digit) {
                        number.push(digit);
                    }
                    next = next.max(number.parse().unwrap_or(0));
                    out.push_str(&number);
                } else {
                    next += 1;
                    out.push_str(&next.to_string());
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{numbered, Failure, StoreError};

    const SCHEMA: &str = "PRAGMA foreign_keys = ON; \
        CREATE TABLE a (n INTEGER PRIMARY KEY, u TEXT UNIQUE, q INTEGER CHECK (q >= 0)); \
        CREATE TABLE b (a INTEGER REFERENCES a (n)); \
        INSERT INTO a VALUES (1, 'x', 0);";

    /// Each statement that breaks something, and what its failure is.
    const BREAKING: [(&str, Failure); 5] = [
        ("INSERT INTO a VALUES (1, 'y', 0)", Failure::Unique),
        ("INSERT INTO a VALUES (2, 'x', 0)", Failure::Unique),
        ("INSERT INTO a VALUES (3, 'z', -1)", Failure::Check),
        ("INSERT INTO b VALUES (9)", Failure::ForeignKey),
        ("INSERT INTO nowhere VALUES (1)", Failure::Other),
    ];

    /// The writer's driver (rusqlite) and the pool's (sqlx) tell the same failures apart;
    /// a write lock held elsewhere is busy on both.
    #[tokio::test]
    async fn failures_are_told_apart_the_same_through_either_driver() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.db");
        let connection = rusqlite::Connection::open(&file).unwrap();
        connection.execute_batch(SCHEMA).unwrap();
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&file)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::ZERO);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        for (sql, failure) in BREAKING {
            let through_rusqlite = connection.execute(sql, []).unwrap_err();
            assert_eq!(StoreError::from(through_rusqlite).failure, failure, "{sql}");
            let through_sqlx = sqlx::query(sql).execute(&pool).await.unwrap_err();
            assert_eq!(StoreError::from(through_sqlx).failure, failure, "{sql}");
        }

        connection.execute_batch("BEGIN IMMEDIATE").unwrap();
        let other = rusqlite::Connection::open(&file).unwrap();
        other.busy_timeout(std::time::Duration::ZERO).unwrap();
        let locked = other.execute_batch("BEGIN IMMEDIATE").unwrap_err();
        assert_eq!(StoreError::from(locked).failure, Failure::Busy);
        let locked = sqlx::query("INSERT INTO a VALUES (4, 'w', 0)")
            .execute(&pool)
            .await
            .unwrap_err();
        assert_eq!(StoreError::from(locked).failure, Failure::Busy);
        connection.execute_batch("ROLLBACK").unwrap();
        // No connection to spare is busy too.
        let none_free = StoreError::from(sqlx::Error::PoolTimedOut);
        assert_eq!(none_free.failure, Failure::Busy);
    }

    #[test]
    fn placeholders_are_numbered_for_postgres_outside_quotes() {
        assert_eq!(
            numbered("SELECT a FROM t WHERE b = ? AND c IN (?, ?) AND d <> '?'"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3) AND d <> '?'"
        );
        assert_eq!(
            numbered("WHERE role = ?1 AND (kind = ?2 OR other = ?1)"),
            "WHERE role = $1 AND (kind = $2 OR other = $1)"
        );
        assert_eq!(numbered("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
        // A list appended after numbered ones continues after the largest (users' states).
        assert_eq!(
            numbered("CASE WHEN r = ?1 THEN ?3 ELSE ?2 END WHERE id IN (?, ?)"),
            "CASE WHEN r = $1 THEN $3 ELSE $2 END WHERE id IN ($4, $5)"
        );
    }
}
