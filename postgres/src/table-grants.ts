// What a swapped-in table must keep of the live one it replaces: its owner, its privileges (table
// and column GRANTs, exactly: grants the new table got from default privileges and the live one
// lacks are revoked) and its comments. Runs inside the load's transaction, before the renames.
import type pg from 'pg';
import { qualified, quoteIdent, type TableName } from './identifiers';

type Client = Pick<pg.ClientBase, 'query'>;

interface Grant {
  grantee: string;
  privilege: string;
  grantable: boolean;
  /** Column-level grants: the column. */
  column: string | null;
}

/** Every grant on the table and its columns (owner's own left out: ownership carries them). */
async function grantsOn(client: Client, table: TableName): Promise<Grant[]> {
  const r = await client.query(
    `WITH rel AS (SELECT oid, relowner, relacl FROM pg_class WHERE oid = $1::regclass),
          acl AS (
            SELECT NULL::text AS col, (aclexplode(relacl)).* FROM rel
            UNION ALL
            SELECT a.attname::text, (aclexplode(a.attacl)).*
              FROM pg_attribute a, rel
             WHERE a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL)
     SELECT acl.col AS column,
            CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee,
            acl.privilege_type AS privilege, acl.is_grantable AS grantable
       FROM acl CROSS JOIN rel LEFT JOIN pg_roles r ON r.oid = acl.grantee
      WHERE acl.grantee <> rel.relowner`,
    [qualified(table)],
  );
  return r.rows as Grant[];
}

const key = (g: Grant) => `${g.column ?? ''}\0${g.grantee}\0${g.privilege}\0${g.grantable}`;

function grantSql(g: Grant, table: string): string {
  const what = g.column === null ? g.privilege : `${g.privilege} (${quoteIdent(g.column)})`;
  return `GRANT ${what} ON ${table} TO ${g.grantee}${g.grantable ? ' WITH GRANT OPTION' : ''}`;
}

function revokeSql(g: Grant, table: string): string {
  const what = g.column === null ? g.privilege : `${g.privilege} (${quoteIdent(g.column)})`;
  return `REVOKE ${what} ON ${table} FROM ${g.grantee} CASCADE`;
}

/** Gives `staging` the owner, privileges and comments of `live` (same transaction as the swap). */
export async function copyTableGrants(client: Client, live: TableName, staging: TableName): Promise<void> {
  const to = qualified(staging);
  const owners = await client.query(
    `SELECT (SELECT relowner FROM pg_class WHERE oid = $1::regclass) = (SELECT relowner FROM pg_class WHERE oid = $2::regclass) AS same,
            (SELECT quote_ident(pg_get_userbyid(relowner)) FROM pg_class WHERE oid = $1::regclass) AS owner`,
    [qualified(live), to],
  );
  // Loading needs the rights of the live table's owner anyway (to rename and drop it).
  if (owners.rows[0]?.same === false)
    await client.query(`ALTER TABLE ${to} OWNER TO ${owners.rows[0].owner}`);
  const columns = await client.query(
    'SELECT attname::text AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped',
    [to],
  );
  const stagingColumns = new Set((columns.rows as { name: string }[]).map((c) => c.name));
  // A rebuild after a schema change may have dropped a column: its grants go with it.
  const wanted = (await grantsOn(client, live)).filter(
    (g) => g.column === null || stagingColumns.has(g.column),
  );
  const present = await grantsOn(client, staging);
  const wantedKeys = new Set(wanted.map(key));
  const presentKeys = new Set(present.map(key));
  for (const g of present) if (!wantedKeys.has(key(g))) await client.query(revokeSql(g, to));
  for (const g of wanted) if (!presentKeys.has(key(g))) await client.query(grantSql(g, to));
  const comments = await client.query(
    `SELECT NULL::text AS col, obj_description($1::regclass, 'pg_class') AS comment
     UNION ALL
     SELECT attname::text, col_description(attrelid, attnum) FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
        AND col_description(attrelid, attnum) IS NOT NULL
        AND attname IN (SELECT attname FROM pg_attribute WHERE attrelid = $2::regclass AND attnum > 0 AND NOT attisdropped)`,
    [qualified(live), to],
  );
  for (const row of comments.rows as { col: string | null; comment: string | null }[]) {
    if (row.comment === null) continue;
    const target = row.col === null ? `TABLE ${to}` : `COLUMN ${to}.${quoteIdent(row.col)}`;
    await client.query(`COMMENT ON ${target} IS ${quoteLiteral(row.comment)}`);
  }
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
