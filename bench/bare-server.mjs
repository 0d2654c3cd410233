// The baseline for the full-stack benchmark: node:http + pg running the same queries as
// GET /v1/people/{id} (the person, then their organisations), with nothing else.
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const PERSON = 'SELECT * FROM people WHERE id = $1';
const MEMBERSHIPS = `SELECT link.organisation_id, organisation.name AS organisation_name, link.role, link.is_primary, link.since, link.until
  FROM person_organisations AS link JOIN organisations AS organisation ON organisation.id = link.organisation_id
  WHERE link.person_id = $1 ORDER BY link.is_primary DESC, organisation.name`;

http
  .createServer(async (req, res) => {
    const id = req.url.split('/').pop();
    const { rows } = await pool.query(PERSON, [id]);
    if (!rows[0]) {
      res.writeHead(404).end();
      return;
    }
    const memberships = await pool.query(MEMBERSHIPS, [id]);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...rows[0], organisations: memberships.rows }));
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
