import { z } from 'zod';

/**
 * iikoCloud (iikoTransport) objects as CTEA reads them (integrations.md §1). Only the fields the
 * jobs use are checked; iiko adds fields freely, so every object is loose and optional extras are
 * tolerated (including the `null`s its schema is known to emit).
 */

const uuid = z.string().min(1).max(64);
const nullableString = z.string().nullish();

export const errorSchema = z.looseObject({
  correlationId: z.string().nullish(),
  errorDescription: nullableString,
  error: nullableString,
});

export const accessTokenSchema = z.looseObject({
  correlationId: z.string().nullish(),
  token: z.string().min(1),
});

export const organizationsSchema = z.looseObject({
  correlationId: z.string().nullish(),
  organizations: z.array(
    z.looseObject({ id: uuid, name: z.string().nullish(), responseType: nullableString }),
  ),
});
export type IikoOrganizations = z.infer<typeof organizationsSchema>;

const terminalGroupSchema = z.looseObject({
  id: uuid,
  organizationId: uuid,
  name: z.string().nullish(),
  address: z.string().nullish(),
  timeZone: z.string().nullish(),
});
export type IikoTerminalGroup = z.infer<typeof terminalGroupSchema>;

const terminalGroupsByOrgSchema = z.array(
  z.looseObject({ organizationId: uuid, items: z.array(terminalGroupSchema) }),
);

export const terminalGroupsSchema = z.looseObject({
  correlationId: z.string().nullish(),
  terminalGroups: terminalGroupsByOrgSchema,
  terminalGroupsInSleep: terminalGroupsByOrgSchema.nullish(),
});
export type IikoTerminalGroups = z.infer<typeof terminalGroupsSchema>;

export const isAliveSchema = z.looseObject({
  correlationId: z.string().nullish(),
  isAliveStatus: z.array(
    z.looseObject({ isAlive: z.boolean(), terminalGroupId: uuid, organizationId: uuid.nullish() }),
  ),
});
export type IikoIsAlive = z.infer<typeof isAliveSchema>;

const sizePriceSchema = z.looseObject({
  sizeId: uuid.nullish(),
  price: z
    .looseObject({
      currentPrice: z.number().nullish(),
      isIncludedInMenu: z.boolean().nullish(),
    })
    .nullish(),
});

export const nomenclatureProductSchema = z.looseObject({
  id: uuid,
  code: nullableString,
  name: z.string().nullish(),
  groupId: uuid.nullish(),
  parentGroup: uuid.nullish(),
  productCategoryId: uuid.nullish(),
  type: nullableString,
  isDeleted: z.boolean().nullish(),
  sizePrices: z.array(sizePriceSchema).nullish(),
});
export type IikoNomenclatureProduct = z.infer<typeof nomenclatureProductSchema>;

export const nomenclatureSchema = z.looseObject({
  correlationId: z.string().nullish(),
  revision: z.number().int(),
  groups: z
    .array(
      z.looseObject({ id: uuid, name: z.string().nullish(), isDeleted: z.boolean().nullish() }),
    )
    .nullish(),
  productCategories: z.array(z.looseObject({ id: uuid })).nullish(),
  products: z.array(nomenclatureProductSchema).nullish(),
  sizes: z
    .array(
      z.looseObject({ id: uuid, name: z.string().nullish(), isDefault: z.boolean().nullish() }),
    )
    .nullish(),
});
export type IikoNomenclature = z.infer<typeof nomenclatureSchema>;

export const stopListsSchema = z.looseObject({
  correlationId: z.string().nullish(),
  terminalGroupStopLists: z.array(
    z.looseObject({
      organizationId: uuid,
      items: z.array(
        z.looseObject({
          terminalGroupId: uuid,
          items: z.array(
            z.looseObject({
              balance: z.number(),
              productId: uuid,
              sizeId: uuid.nullish(),
              sku: nullableString,
              dateAdd: nullableString,
            }),
          ),
        }),
      ),
    }),
  ),
});
export type IikoStopLists = z.infer<typeof stopListsSchema>;

export const CREATION_STATUSES = ['Success', 'InProgress', 'Error'] as const;
export type IikoCreationStatus = (typeof CREATION_STATUSES)[number];

export const orderInfoSchema = z.looseObject({
  id: uuid,
  posId: uuid.nullish(),
  externalNumber: nullableString,
  organizationId: uuid.nullish(),
  timestamp: z.number().nullish(),
  creationStatus: z.enum(CREATION_STATUSES),
  errorInfo: z
    .looseObject({
      code: z.string(),
      message: nullableString,
      description: nullableString,
    })
    .nullish(),
  order: z.looseObject({ status: nullableString, number: z.unknown() }).nullish(),
});
export type IikoOrderInfo = z.infer<typeof orderInfoSchema>;

export const createDeliverySchema = z.looseObject({
  correlationId: z.string().nullish(),
  orderInfo: orderInfoSchema,
});

export const deliveriesByIdSchema = z.looseObject({
  correlationId: z.string().nullish(),
  orders: z.array(orderInfoSchema),
});

export const commandStatusSchema = z.looseObject({
  state: z.enum(CREATION_STATUSES),
  errorReason: nullableString,
  exception: z.unknown().optional(),
});
export type IikoCommandStatus = z.infer<typeof commandStatusSchema>;

/** The `order` of `deliveries/create` (IK-10). Money is JSON numbers in rubles (iiko's format). */
export interface IikoDeliveryOrder {
  id: string;
  externalNumber?: string;
  phone: string;
  orderServiceType: 'DeliveryByClient' | 'DeliveryByCourier';
  deliveryPoint?: Record<string, unknown>;
  comment?: string;
  customer: { type: 'one-time'; name: string };
  items: {
    type: 'Product';
    productId: string;
    amount: number;
    price: number;
    positionId: string;
    modifiers: { productId: string; amount: number; productGroupId?: string; price: number }[];
  }[];
  payments?: {
    paymentTypeKind: 'External';
    sum: number;
    paymentTypeId: string;
    isProcessedExternally: true;
  }[];
  discountsInfo?: { discounts: { type: 'RMS'; discountTypeId: string; sum: number }[] };
  externalData?: { key: string; value: string }[];
}
