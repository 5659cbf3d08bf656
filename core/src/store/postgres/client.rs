//! A blocking PostgreSQL client that can send two requests before waiting for either
//! (issue 26: a round trip over a local socket costs more than a whole thread page on redb).
//!
//! The `postgres` crate blocks on each request in turn, so a read's `BEGIN` and its first
//! statement cost a round trip each. This is the same shape as `postgres::Client` (a
//! `tokio-postgres` client and its connection, driven by a current-thread runtime that runs
//! only while a call waits), with [`PgClient::pipelined`] besides: `tokio-postgres` writes
//! requests in the order they are first polled and matches the answers in that order, so
//! polling a simple-query batch and a prepared statement together sends both in one write
//! and waits once. The server runs them one after the other, as if sent apart.

use std::future::Future;
use std::pin::pin;
use std::task::Poll;

use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Config, Error, NoTls, Row, Statement};

/// One connection: its client, and the runtime its connection task runs on.
pub(super) struct PgClient {
    /// Dropped before the runtime, which then drops the connection task (closing the socket).
    client: Client,
    runtime: tokio::runtime::Runtime,
}

impl PgClient {
    pub fn connect(config: &Config) -> crate::error::Result<PgClient> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| crate::error::Error::storage(format!("cannot start PostgreSQL's client: {e}")))?;
        let (client, connection) = runtime.block_on(config.connect(NoTls)).map_err(|e| {
            crate::error::Error::storage(format!(
                "cannot connect to PostgreSQL: {}",
                e.as_db_error().map_or(e.to_string(), |d| d.message().to_string())
            ))
        })?;
        // Notices are logged by the task at `info` (their severity and message), as
        // `postgres::Client` does.
        drop(runtime.spawn(connection));
        Ok(PgClient { client, runtime })
    }

    fn wait<T>(&self, future: impl Future<Output = T>) -> T {
        self.runtime.block_on(future)
    }

    /// Runs `sql` (statements without parameters) by the simple protocol.
    pub fn batch_execute(&mut self, sql: &str) -> Result<(), Error> {
        self.wait(self.client.batch_execute(sql))
    }

    pub fn prepare(&mut self, sql: &str) -> Result<Statement, Error> {
        self.wait(self.client.prepare(sql))
    }

    pub fn query(&mut self, statement: &Statement, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, Error> {
        self.wait(self.client.query(statement, params))
    }

    /// Runs `sql` (one statement, prepared for this call only).
    pub fn execute(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, Error> {
        self.wait(self.client.execute(sql, params))
    }

    /// Sends `batch` (statements without parameters) and `statement` together and waits once:
    /// one round trip. The statement's rows, or the first error (the batch's first).
    pub fn pipelined(
        &mut self,
        batch: &str,
        statement: &Statement,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, Error> {
        let client = &self.client;
        let (batched, rows) = self.wait(both(client.batch_execute(batch), client.query(statement, params)));
        batched?;
        rows
    }

    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }
}

/// Polls `a` and `b` together (`a` first, so its request is sent first) until both are done.
async fn both<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut out_a, mut out_b) = (None, None);
    std::future::poll_fn(|cx| {
        if out_a.is_none()
            && let Poll::Ready(v) = a.as_mut().poll(cx)
        {
            out_a = Some(v);
        }
        if out_b.is_none()
            && let Poll::Ready(v) = b.as_mut().poll(cx)
        {
            out_b = Some(v);
        }
        match (out_a.take(), out_b.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                (out_a, out_b) = (a, b);
                Poll::Pending
            }
        }
    })
    .await
}
