//! A blocking PostgreSQL client that can send two requests before waiting for either
//! (issue 26: a round trip over a local socket costs more than a whole thread page on redb).
//!
//! The `postgres` crate blocks on each request in turn, so a read's `BEGIN` and its first
//! statement cost a round trip each. This is the same shape as `postgres::Client` (a
//! `tokio-postgres` client and its connection, driven by a current-thread runtime that runs
//! only while a call waits), with [`PgClient::pipelined`] besides: `tokio-postgres` writes
//! requests in the order they are first polled and matches the answers in that order, so
//! polling a simple-query batch and prepared statements together sends them in one write
//! and waits once. The server runs them one after the other, as if sent apart.

use std::future::Future;
use std::pin::Pin;
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

    /// Sends `batch` (statements without parameters, if any) and then `queries` together and
    /// waits once: one round trip. Each query's rows in order, or the first error (the
    /// batch's first, then the queries' in order).
    pub fn pipelined(&mut self, batch: Option<&str>, queries: &[Query<'_>]) -> Result<Vec<Vec<Row>>, Error> {
        let client = &self.client;
        let mut requests: Vec<Request<'_>> = Vec::with_capacity(queries.len() + 1);
        if let Some(batch) = batch {
            requests.push(Box::pin(async move { client.batch_execute(batch).await.map(|()| Vec::new()) }));
        }
        requests.extend(
            queries.iter().map(|(statement, params)| -> Request<'_> { Box::pin(client.query(*statement, params)) }),
        );
        let mut answers = self.wait(all(requests)).into_iter();
        if batch.is_some() {
            answers.next().transpose()?;
        }
        answers.collect()
    }

    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }
}

/// A prepared statement and its parameters, to be sent in a pipeline ([`PgClient::pipelined`]).
pub(super) type Query<'a> = (&'a Statement, &'a [&'a (dyn ToSql + Sync)]);

/// One request of a pipeline, answered by rows (none for a batch).
type Request<'a> = Pin<Box<dyn Future<Output = Result<Vec<Row>, Error>> + 'a>>;

/// Polls `requests` together, each in its order (so their requests are sent in that order),
/// until all are done; their outputs in order.
async fn all(mut requests: Vec<Request<'_>>) -> Vec<Result<Vec<Row>, Error>> {
    let mut outputs: Vec<Option<Result<Vec<Row>, Error>>> = requests.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        for (request, output) in requests.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none()
                && let Poll::Ready(v) = request.as_mut().poll(cx)
            {
                *output = Some(v);
            }
        }
        match outputs.iter().all(Option::is_some) {
            true => Poll::Ready(()),
            false => Poll::Pending,
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}
