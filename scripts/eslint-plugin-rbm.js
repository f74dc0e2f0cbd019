// RBM Tracker's own ESLint rules (issue 11 item 2): SQL only in repositories.
import { ESLintUtils } from '@typescript-eslint/utils';

/**
 * Files where database access is allowed (flat-config `ignores` of the rule): repositories,
 * migrations, the test helpers, tests and benchmarks, and libs/database's own plumbing (the
 * DataSource factory and the transaction runner).
 */
export const SQL_ALLOWED_FILES = [
  '**/*.repository.ts',
  '**/*.spec.ts',
  'migrations/**',
  'libs/testing/**',
  'test/**',
  'bench/**',
  'libs/database/src/data-source.ts',
  'libs/database/src/resilient-data-source.ts',
  'libs/database/src/database.module.ts',
  'libs/database/src/transaction-runner.ts',
];

/** TypeORM types whose data methods run SQL. */
const TYPEORM_TYPES = new Set([
  'EntityManager',
  'Repository',
  'TreeRepository',
  'DataSource',
  'QueryRunner',
  'SelectQueryBuilder',
  'InsertQueryBuilder',
  'UpdateQueryBuilder',
  'DeleteQueryBuilder',
]);

/** Methods refused on any object: their names only exist to run SQL. */
const SQL_METHODS = new Set(['query', 'createQueryBuilder', 'getRepository', 'transaction']);

/** Methods refused on a TypeORM EntityManager, Repository or DataSource (they run SQL). */
const DATA_METHODS =
  /^(find\w*|save|insert|update|upsert|delete|softDelete|restore|remove|softRemove|count\w*|exists\w*|increment|decrement|sum|average|minimum|maximum|clear)$/;

/** Is `type` (or a member of a union, or a base class) one of TypeORM's data access types? */
function isTypeOrmType(type, checker) {
  if (type.isUnion()) return type.types.some((t) => isTypeOrmType(t, checker));
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  if (symbol && TYPEORM_TYPES.has(symbol.getName())) {
    const declaration = symbol.getDeclarations()?.[0];
    if (!declaration || declaration.getSourceFile().fileName.includes('typeorm')) return true;
  }
  if (type.isClassOrInterface()) return checker.getBaseTypes(type).some((base) => isTypeOrmType(base, checker));
  return false;
}

const createRule = ESLintUtils.RuleCreator((name) => `docs/RULES.md#${name}`);

/**
 * `rbm/sql-in-repositories`: outside repositories, migrations and libs/testing (see
 * {@link SQL_ALLOWED_FILES}), refuses `.query(`, `createQueryBuilder`, `getRepository`,
 * `.transaction(` (services use libs/database's TransactionRunner), the data methods of a TypeORM
 * EntityManager / Repository / DataSource (`find*`, `save`, `insert`, `update`, `delete`, `count*`,
 * `exists*`, `increment`, ...), and injecting DataSource (a constructor parameter typed `DataSource`
 * or `@InjectDataSource()` / `@InjectRepository()`).
 */
export const sqlInRepositories = createRule({
  name: 'sql-in-repositories',
  meta: {
    type: 'problem',
    docs: { description: 'Only repositories speak SQL (issue 11 item 2; STYLE.md rooms).' },
    messages: {
      sqlMethod: '`{{name}}` runs SQL: move it into a repository (`*.repository.ts`) of the lib that owns the table.',
      dataMethod:
        '`{{name}}` on a TypeORM {{type}} runs SQL: move it into a repository (`*.repository.ts`) of the lib that owns the table.',
      injectDataSource:
        'Only repositories inject the DataSource: services take repositories and the TransactionRunner (libs/database).',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();
    const typeName = (node) => {
      const type = services.getTypeAtLocation(node);
      if (!isTypeOrmType(type, checker)) return null;
      const symbol = type.isUnion()
        ? type.types.map((t) => t.getSymbol()).find((s) => s && TYPEORM_TYPES.has(s.getName()))
        : type.getSymbol();
      return symbol?.getName() ?? 'data source';
    };
    const isDataSourceParam = (param) => {
      const target = param.type === 'TSParameterProperty' ? param.parameter : param;
      const decorated = (param.decorators ?? []).some(
        (d) =>
          d.expression.type === 'CallExpression' &&
          d.expression.callee.type === 'Identifier' &&
          /^Inject(DataSource|Repository|EntityManager)$/.test(d.expression.callee.name),
      );
      const annotation = target.typeAnnotation?.typeAnnotation;
      const typed =
        annotation?.type === 'TSTypeReference' &&
        annotation.typeName.type === 'Identifier' &&
        ['DataSource', 'EntityManager'].includes(annotation.typeName.name) &&
        typeName(target) !== null;
      return decorated || typed;
    };
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return;
        const name = callee.property.name;
        if (SQL_METHODS.has(name)) {
          context.report({ node: callee.property, messageId: 'sqlMethod', data: { name } });
        } else if (DATA_METHODS.test(name)) {
          const type = typeName(callee.object);
          if (type) context.report({ node: callee.property, messageId: 'dataMethod', data: { name, type } });
        }
      },
      'MethodDefinition[kind="constructor"]'(node) {
        for (const param of node.value.params) {
          if (isDataSourceParam(param)) context.report({ node: param, messageId: 'injectDataSource' });
        }
      },
    };
  },
});

/** The plugin, registered as `rbm` in eslint.config.js. */
export default { meta: { name: 'eslint-plugin-rbm' }, rules: { 'sql-in-repositories': sqlInRepositories } };
