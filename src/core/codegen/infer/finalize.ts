import type { ObjectShape, Shape, StringKind } from '../model.ts';
import type { Acc, ObjAcc } from './accumulate.ts';

const sorted = (values: Iterable<string>): string[] =>
  [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Freezes an accumulator into the lock's plain-JSON form (fixed key order). */
export function finalizeShape(acc: Acc): Shape {
  const shape: Shape = {};
  if (acc.null) shape.null = true;
  if (acc.boolean) shape.boolean = true;
  if (acc.number) shape.number = acc.number === 1 ? 'integer' : 'number';
  if (acc.string) {
    shape.string = {
      kinds: sorted(acc.string.kinds) as StringKind[],
      empty: acc.string.empty,
      values: acc.string.values && acc.string.values.size > 0 ? sorted(acc.string.values) : null,
      count: acc.string.count,
    };
  }
  if (acc.emptyObject) shape.emptyObject = true;
  if (acc.object) shape.object = finalizeObject(acc.object);
  if (acc.array) shape.array = finalizeShape(acc.array);
  if (acc.component) shape.component = sorted(acc.component);
  if (acc.ref) {
    shape.ref = { pages: sorted(acc.ref.pages), collections: sorted(acc.ref.collections) };
  }
  return shape;
}

export function finalizeObject(obj: ObjAcc): ObjectShape {
  return {
    samples: obj.samples,
    props: [...obj.props].map(([key, prop]) => ({
      key,
      optional: prop.count < obj.samples,
      shape: finalizeShape(prop.acc),
    })),
  };
}
