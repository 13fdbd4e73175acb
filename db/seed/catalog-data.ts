/**
 * Hand-written demo catalogue: three Moscow stores, the drink menu and its options. Prices are
 * integer kopecks. Effective MSK-01 prices span exactly 150.00 … 450.00 with one product at each
 * end (the checkout end-to-end scenarios rely on both).
 */
import type { Weekday } from './time';

export type Hours = Partial<Record<Weekday, { open: string; close: string }>>;

export interface StoreSeed {
  code: string;
  name: { ru: string; zh: string; en: string };
  address: string;
  lat: number;
  lng: number;
  phone: string;
  hours: Hours;
  pickup: boolean;
  delivery: boolean;
  telegramChatId: string | null;
  /** Relative order volume and its weekly shape. */
  baseOrdersPerDay: number;
  weekday: Record<Weekday, number>;
  /** Streets near the store, for delivery addresses. */
  streets: string[];
  zones: ZoneSeed[];
}

export interface ZoneSeed {
  name: { ru: string; zh: string; en: string };
  radiusKm: number;
  fee: number;
  minOrder: number;
  eta: number;
}

const ALL_DAY = { open: '00:00', close: '00:00' };
const every = (open: string, close: string): Hours => ({
  mon: { open, close },
  tue: { open, close },
  wed: { open, close },
  thu: { open, close },
  fri: { open, close },
  sat: { open, close },
  sun: { open, close },
});

const zones = (inner: number, outer: number): ZoneSeed[] => [
  {
    name: { ru: 'Ближняя зона', zh: '近距离配送区', en: 'Inner zone' },
    radiusKm: inner,
    fee: 9_900,
    minOrder: 40_000,
    eta: 35,
  },
  {
    name: { ru: 'Дальняя зона', zh: '远距离配送区', en: 'Outer zone' },
    radiusKm: outer,
    fee: 19_900,
    minOrder: 70_000,
    eta: 55,
  },
];

export const STORES: StoreSeed[] = [
  {
    code: 'MSK-01',
    name: { ru: 'CTEA Тверская', zh: 'CTEA 特维尔大街店', en: 'CTEA Tverskaya' },
    address: 'Москва, ул. Тверская, 12, стр. 1',
    lat: 55.7618,
    lng: 37.6086,
    phone: '+74951203401',
    hours: {
      mon: ALL_DAY,
      tue: ALL_DAY,
      wed: ALL_DAY,
      thu: ALL_DAY,
      fri: ALL_DAY,
      sat: ALL_DAY,
      sun: ALL_DAY,
    },
    pickup: true,
    delivery: true,
    telegramChatId: '-1001987650001',
    baseOrdersPerDay: 16,
    weekday: { mon: 0.85, tue: 0.9, wed: 0.95, thu: 1, fri: 1.15, sat: 1.3, sun: 1.2 },
    streets: [
      'ул. Тверская',
      'ул. Большая Дмитровка',
      'ул. Петровка',
      'ул. Малая Бронная',
      'Страстной бульвар',
      'ул. Садовая-Триумфальная',
      'Тверской бульвар',
      'ул. Тверская-Ямская 1-я',
    ],
    zones: zones(1.6, 3.8),
  },
  {
    code: 'MSK-02',
    name: { ru: 'CTEA Арбат', zh: 'CTEA 阿尔巴特街店', en: 'CTEA Arbat' },
    address: 'Москва, ул. Арбат, 24',
    lat: 55.7502,
    lng: 37.5929,
    phone: '+74951203402',
    hours: {
      ...every('10:00', '22:00'),
      fri: { open: '10:00', close: '00:30' },
      sat: { open: '10:00', close: '00:30' },
      sun: { open: '11:00', close: '22:00' },
    },
    pickup: true,
    delivery: true,
    telegramChatId: '-1001987650002',
    baseOrdersPerDay: 13,
    weekday: { mon: 0.8, tue: 0.85, wed: 0.9, thu: 1, fri: 1.2, sat: 1.45, sun: 1.3 },
    streets: [
      'ул. Арбат',
      'ул. Новый Арбат',
      'Гоголевский бульвар',
      'пер. Сивцев Вражек',
      'ул. Пречистенка',
      'Смоленская ул.',
      'Плотников пер.',
      'Большой Афанасьевский пер.',
    ],
    zones: zones(1.5, 3.5),
  },
  {
    code: 'MSK-03',
    name: { ru: 'CTEA Москва-Сити', zh: 'CTEA 莫斯科城店', en: 'CTEA Moscow City' },
    address: 'Москва, Пресненская наб., 2, ТРЦ «Афимолл Сити», 1 этаж',
    lat: 55.749,
    lng: 37.5394,
    phone: '+74951203403',
    hours: {
      ...every('08:00', '22:00'),
      sat: { open: '10:00', close: '21:00' },
      sun: { open: '10:00', close: '21:00' },
    },
    pickup: true,
    delivery: true,
    telegramChatId: null,
    baseOrdersPerDay: 10,
    weekday: { mon: 1.1, tue: 1.15, wed: 1.15, thu: 1.15, fri: 1.1, sat: 0.6, sun: 0.5 },
    streets: [
      'Пресненская наб.',
      'Краснопресненская наб.',
      'ул. Тестовская',
      '1-й Красногвардейский пр.',
      'Мантулинская ул.',
      'ул. Сергея Макеева',
      'Шмитовский пр.',
    ],
    zones: zones(1.4, 3.2),
  },
];

export interface CategorySeed {
  code: string;
  name: { ru: string; zh: string; en: string };
}

export const CATEGORIES: CategorySeed[] = [
  { code: 'MILK_TEA', name: { ru: 'Молочный чай', zh: '奶茶', en: 'Milk tea' } },
  { code: 'FRUIT_TEA', name: { ru: 'Фруктовый чай', zh: '水果茶', en: 'Fruit tea' } },
  { code: 'CHEESE_FOAM', name: { ru: 'Сырная пенка', zh: '芝士奶盖', en: 'Cheese foam' } },
  { code: 'COFFEE', name: { ru: 'Кофе', zh: '咖啡', en: 'Coffee' } },
  { code: 'SEASONAL', name: { ru: 'Сезонное', zh: '季节限定', en: 'Seasonal' } },
];

export type GroupCode = 'TEMPERATURE' | 'ICE' | 'SUGAR' | 'TOPPING';

export interface OptionItemSeed {
  code: string;
  name: { ru: string; zh: string; en: string };
  price: number;
}

export interface OptionGroupSeed {
  code: GroupCode;
  name: { ru: string; zh: string; en: string };
  items: OptionItemSeed[];
}

export const OPTION_GROUPS: OptionGroupSeed[] = [
  {
    code: 'TEMPERATURE',
    name: { ru: 'Температура', zh: '温度', en: 'Temperature' },
    items: [
      { code: 'HOT', name: { ru: 'Горячий', zh: '热', en: 'Hot' }, price: 0 },
      { code: 'WARM', name: { ru: 'Тёплый', zh: '温', en: 'Warm' }, price: 0 },
      { code: 'COLD', name: { ru: 'Холодный', zh: '冰', en: 'Cold' }, price: 0 },
    ],
  },
  {
    code: 'ICE',
    name: { ru: 'Лёд', zh: '冰量', en: 'Ice' },
    items: [
      { code: 'NO_ICE', name: { ru: 'Без льда', zh: '去冰', en: 'No ice' }, price: 0 },
      { code: 'LESS_ICE', name: { ru: 'Мало льда', zh: '少冰', en: 'Less ice' }, price: 0 },
      { code: 'NORMAL_ICE', name: { ru: 'Норма', zh: '正常冰', en: 'Regular ice' }, price: 0 },
      { code: 'EXTRA_ICE', name: { ru: 'Много льда', zh: '多冰', en: 'Extra ice' }, price: 0 },
    ],
  },
  {
    code: 'SUGAR',
    name: { ru: 'Сахар', zh: '甜度', en: 'Sugar' },
    items: [
      { code: 'SUGAR_0', name: { ru: '0 %', zh: '无糖', en: '0 %' }, price: 0 },
      { code: 'SUGAR_30', name: { ru: '30 %', zh: '三分糖', en: '30 %' }, price: 0 },
      { code: 'SUGAR_50', name: { ru: '50 %', zh: '半糖', en: '50 %' }, price: 0 },
      { code: 'SUGAR_70', name: { ru: '70 %', zh: '七分糖', en: '70 %' }, price: 0 },
      { code: 'SUGAR_100', name: { ru: '100 %', zh: '全糖', en: '100 %' }, price: 0 },
    ],
  },
  {
    code: 'TOPPING',
    name: { ru: 'Добавки', zh: '加料', en: 'Toppings' },
    items: [
      { code: 'TAPIOCA', name: { ru: 'Тапиока', zh: '珍珠', en: 'Tapioca pearls' }, price: 4_000 },
      {
        code: 'COCONUT_JELLY',
        name: { ru: 'Кокосовое желе', zh: '椰果', en: 'Coconut jelly' },
        price: 3_500,
      },
      { code: 'PUDDING', name: { ru: 'Пудинг', zh: '布丁', en: 'Pudding' }, price: 4_500 },
      {
        code: 'CHEESE_FOAM',
        name: { ru: 'Сырная пенка', zh: '芝士奶盖', en: 'Cheese foam' },
        price: 6_000,
      },
      {
        code: 'RED_BEAN',
        name: { ru: 'Красная фасоль', zh: '红豆', en: 'Red bean' },
        price: 4_000,
      },
      {
        code: 'TARO_BALLS',
        name: { ru: 'Шарики таро', zh: '芋圆', en: 'Taro balls' },
        price: 5_000,
      },
      { code: 'ALOE', name: { ru: 'Алоэ', zh: '芦荟', en: 'Aloe vera' }, price: 3_500 },
    ],
  },
];

export interface ProductSeed {
  sku: string;
  category: string;
  name: { ru: string; zh: string; en: string };
  description: { ru: string; zh: string; en: string };
  price: number;
  groups: GroupCode[];
  defaults: Partial<Record<Exclude<GroupCode, 'TOPPING'>, string>>;
  /** Relative popularity in carts. */
  popularity: number;
  special?: boolean;
  /** Seasonal item taken off the menu: sold only until this many days before today. */
  retiredDaysAgo?: number;
}

const ALL: GroupCode[] = ['TEMPERATURE', 'ICE', 'SUGAR', 'TOPPING'];
const COLD_ONLY: GroupCode[] = ['ICE', 'SUGAR', 'TOPPING'];
const MILK = { TEMPERATURE: 'COLD', ICE: 'NORMAL_ICE', SUGAR: 'SUGAR_70' } as const;
const FRUIT = { ICE: 'NORMAL_ICE', SUGAR: 'SUGAR_50' } as const;
const HOT = { TEMPERATURE: 'HOT', ICE: 'NO_ICE', SUGAR: 'SUGAR_30' } as const;

export const PRODUCTS: ProductSeed[] = [
  {
    sku: 'MT-CLASSIC-M',
    category: 'MILK_TEA',
    name: { ru: 'Классический молочный чай', zh: '经典奶茶', en: 'Classic milk tea' },
    description: {
      ru: 'Чёрный цейлонский чай со свежим молоком. Стакан 500 мл.',
      zh: '锡兰红茶配鲜牛奶，500毫升。',
      en: 'Ceylon black tea with fresh milk. 500 ml cup.',
    },
    price: 15_000,
    groups: ALL,
    defaults: MILK,
    popularity: 9,
  },
  {
    sku: 'MT-BROWN-SUGAR',
    category: 'MILK_TEA',
    name: {
      ru: 'Молоко с коричневым сахаром и тапиокой',
      zh: '黑糖珍珠鲜奶',
      en: 'Brown sugar boba milk',
    },
    description: {
      ru: 'Тёплая тапиока в карамельном сиропе из коричневого сахара, холодное молоко.',
      zh: '黑糖熬煮的珍珠，搭配冰鲜奶。',
      en: 'Warm tapioca pearls in brown sugar syrup with cold milk.',
    },
    price: 29_000,
    groups: ALL,
    defaults: MILK,
    popularity: 14,
  },
  {
    sku: 'MT-TARO',
    category: 'MILK_TEA',
    name: { ru: 'Молочный чай с таро', zh: '香芋奶茶', en: 'Taro milk tea' },
    description: {
      ru: 'Нежный фиолетовый таро, жасминовый чай и молоко.',
      zh: '香芋泥搭配茉莉茶和牛奶。',
      en: 'Creamy taro with jasmine tea and milk.',
    },
    price: 27_000,
    groups: ALL,
    defaults: MILK,
    popularity: 7,
  },
  {
    sku: 'MT-MATCHA-LATTE',
    category: 'MILK_TEA',
    name: { ru: 'Матча латте', zh: '抹茶拿铁', en: 'Matcha latte' },
    description: {
      ru: 'Японская матча церемониального класса с молоком.',
      zh: '日本仪式级抹茶配牛奶。',
      en: 'Ceremonial-grade Japanese matcha with milk.',
    },
    price: 31_000,
    groups: ALL,
    defaults: MILK,
    popularity: 6,
  },
  {
    sku: 'MT-OOLONG',
    category: 'MILK_TEA',
    name: { ru: 'Молочный улун', zh: '乌龙奶茶', en: 'Oolong milk tea' },
    description: {
      ru: 'Обжаренный улун Те Гуань Инь с молоком.',
      zh: '炭焙铁观音乌龙茶配牛奶。',
      en: 'Roasted Tieguanyin oolong with milk.',
    },
    price: 24_000,
    groups: ALL,
    defaults: MILK,
    popularity: 6,
  },
  {
    sku: 'MT-JASMINE',
    category: 'MILK_TEA',
    name: { ru: 'Жасминовый молочный чай', zh: '茉莉奶绿', en: 'Jasmine milk green tea' },
    description: {
      ru: 'Зелёный жасминовый чай с молоком. Цена по акции.',
      zh: '茉莉绿茶配牛奶，特价。',
      en: 'Jasmine green tea with milk. Promotional price.',
    },
    price: 19_900,
    groups: ALL,
    defaults: MILK,
    popularity: 5,
    special: true,
  },
  {
    sku: 'FT-MANGO-POMELO',
    category: 'FRUIT_TEA',
    name: { ru: 'Манго-помело с саго', zh: '杨枝甘露', en: 'Mango pomelo sago' },
    description: {
      ru: 'Свежее манго, помело, кокосовое молоко и саго.',
      zh: '新鲜芒果、西柚、椰奶和西米。',
      en: 'Fresh mango, pomelo, coconut milk and sago.',
    },
    price: 35_000,
    groups: COLD_ONLY,
    defaults: FRUIT,
    popularity: 8,
  },
  {
    sku: 'FT-PASSION',
    category: 'FRUIT_TEA',
    name: { ru: 'Маракуйя с зелёным чаем', zh: '百香果绿茶', en: 'Passion fruit green tea' },
    description: {
      ru: 'Маракуйя, зелёный чай и кусочки апельсина.',
      zh: '百香果、绿茶和香橙果肉。',
      en: 'Passion fruit, green tea and orange pieces.',
    },
    price: 23_000,
    groups: COLD_ONLY,
    defaults: FRUIT,
    popularity: 6,
  },
  {
    sku: 'FT-PEACH-OOLONG',
    category: 'FRUIT_TEA',
    name: { ru: 'Персиковый улун', zh: '蜜桃乌龙', en: 'Peach oolong' },
    description: {
      ru: 'Белый персик и светлый улун.',
      zh: '白桃果肉搭配清香乌龙。',
      en: 'White peach with light oolong.',
    },
    price: 26_000,
    groups: COLD_ONLY,
    defaults: FRUIT,
    popularity: 6,
  },
  {
    sku: 'FT-GRAPE',
    category: 'FRUIT_TEA',
    name: { ru: 'Виноград с сырной пенкой', zh: '多肉葡萄', en: 'Grape cheese tea' },
    description: {
      ru: 'Очищенный виноград, зелёный чай и сырная пенка.',
      zh: '去皮葡萄、绿茶和芝士奶盖。',
      en: 'Peeled grapes, green tea and cheese foam.',
    },
    price: 38_000,
    groups: COLD_ONLY,
    defaults: FRUIT,
    popularity: 7,
  },
  {
    sku: 'FT-LEMON',
    category: 'FRUIT_TEA',
    name: { ru: 'Гонконгский лимонный чай', zh: '港式柠檬茶', en: 'Hong Kong lemon tea' },
    description: {
      ru: 'Крепкий чёрный чай и толчёный лимон. Цена по акции.',
      zh: '浓郁红茶配手打柠檬，特价。',
      en: 'Strong black tea with muddled lemon. Promotional price.',
    },
    price: 18_900,
    groups: COLD_ONLY,
    defaults: FRUIT,
    popularity: 6,
    special: true,
  },
  {
    sku: 'FT-STRAWBERRY',
    category: 'FRUIT_TEA',
    name: { ru: 'Клубничный чай', zh: '草莓果茶', en: 'Strawberry fruit tea' },
    description: {
      ru: 'Свежая клубника и жасминовый чай.',
      zh: '新鲜草莓配茉莉茶。',
      en: 'Fresh strawberries with jasmine tea.',
    },
    price: 28_000,
    groups: COLD_ONLY,
    defaults: FRUIT,
    popularity: 5,
  },
  {
    sku: 'FT-KING-L',
    category: 'FRUIT_TEA',
    name: { ru: 'Фруктовый король, большой', zh: '霸气水果茶（大杯）', en: 'Fruit king, large' },
    description: {
      ru: 'Ассорти сезонных фруктов, улун и жасмин. Стакан 700 мл.',
      zh: '多种时令水果，乌龙与茉莉茶底，700毫升。',
      en: 'Seasonal fruit mix with oolong and jasmine. 700 ml cup.',
    },
    price: 45_000,
    groups: COLD_ONLY,
    defaults: FRUIT,
    popularity: 4,
  },
  {
    sku: 'CF-OOLONG',
    category: 'CHEESE_FOAM',
    name: { ru: 'Улун с сырной пенкой', zh: '芝士乌龙', en: 'Cheese foam oolong' },
    description: {
      ru: 'Холодный улун под солёно-сливочной сырной пенкой.',
      zh: '冷泡乌龙茶，覆盖咸香芝士奶盖。',
      en: 'Cold oolong under a salty-creamy cheese foam.',
    },
    price: 30_000,
    groups: COLD_ONLY,
    defaults: FRUIT,
    popularity: 6,
  },
  {
    sku: 'CF-STRAWBERRY',
    category: 'CHEESE_FOAM',
    name: { ru: 'Клубника с сырной пенкой', zh: '芝芝莓莓', en: 'Cheese foam strawberry' },
    description: {
      ru: 'Клубничный смузи с чаем и сырной пенкой.',
      zh: '草莓冰沙配茶底和芝士奶盖。',
      en: 'Strawberry slush with tea and cheese foam.',
    },
    price: 39_000,
    groups: COLD_ONLY,
    defaults: FRUIT,
    popularity: 5,
  },
  {
    sku: 'CF-MATCHA',
    category: 'CHEESE_FOAM',
    name: { ru: 'Матча с сырной пенкой', zh: '芝士抹茶', en: 'Cheese foam matcha' },
    description: {
      ru: 'Матча с молоком под сырной пенкой.',
      zh: '抹茶牛奶覆盖芝士奶盖。',
      en: 'Matcha milk under cheese foam.',
    },
    price: 34_000,
    groups: ALL,
    defaults: MILK,
    popularity: 4,
  },
  {
    sku: 'CO-LATTE',
    category: 'COFFEE',
    name: { ru: 'Латте', zh: '拿铁', en: 'Latte' },
    description: {
      ru: 'Двойной эспрессо и молоко.',
      zh: '双份浓缩咖啡配牛奶。',
      en: 'Double espresso with milk.',
    },
    price: 21_000,
    groups: ALL,
    defaults: HOT,
    popularity: 6,
  },
  {
    sku: 'CO-BOBA-LATTE',
    category: 'COFFEE',
    name: { ru: 'Кофе с тапиокой', zh: '珍珠咖啡', en: 'Boba coffee' },
    description: {
      ru: 'Латте с тапиокой в коричневом сахаре.',
      zh: '拿铁配黑糖珍珠。',
      en: 'Latte with brown sugar tapioca.',
    },
    price: 26_000,
    groups: ALL,
    defaults: { TEMPERATURE: 'COLD', ICE: 'NORMAL_ICE', SUGAR: 'SUGAR_50' },
    popularity: 5,
  },
  {
    sku: 'CO-COCONUT-LATTE',
    category: 'COFFEE',
    name: { ru: 'Кокосовый латте', zh: '生椰拿铁', en: 'Coconut latte' },
    description: {
      ru: 'Эспрессо и свежее кокосовое молоко.',
      zh: '浓缩咖啡配鲜榨椰奶。',
      en: 'Espresso with fresh coconut milk.',
    },
    price: 32_000,
    groups: ALL,
    defaults: { TEMPERATURE: 'COLD', ICE: 'NORMAL_ICE', SUGAR: 'SUGAR_30' },
    popularity: 6,
  },
  {
    sku: 'SE-OSMANTHUS-PLUM',
    category: 'SEASONAL',
    name: { ru: 'Слива с османтусом', zh: '桂花乌梅', en: 'Osmanthus plum tea' },
    description: {
      ru: 'Копчёная слива, цветы османтуса и улун. Сезонный напиток, цена по акции.',
      zh: '乌梅、桂花和乌龙茶，季节限定特价。',
      en: 'Smoked plum, osmanthus and oolong. Seasonal, promotional price.',
    },
    price: 25_000,
    groups: COLD_ONLY,
    defaults: FRUIT,
    popularity: 4,
    special: true,
  },
  {
    sku: 'SE-PISTACHIO',
    category: 'SEASONAL',
    name: { ru: 'Фисташковый молочный чай', zh: '开心果奶茶', en: 'Pistachio milk tea' },
    description: {
      ru: 'Фисташковая паста, чёрный чай и молоко.',
      zh: '开心果酱、红茶和牛奶。',
      en: 'Pistachio paste, black tea and milk.',
    },
    price: 33_000,
    groups: ALL,
    defaults: MILK,
    popularity: 5,
  },
  {
    sku: 'SE-PUMPKIN-LATTE',
    category: 'SEASONAL',
    name: { ru: 'Тыквенный латте', zh: '南瓜拿铁', en: 'Pumpkin spice latte' },
    description: {
      ru: 'Тыквенное пюре, пряности и эспрессо. Сезон закончился.',
      zh: '南瓜泥、香料和浓缩咖啡，季节已结束。',
      en: 'Pumpkin purée, spices and espresso. Out of season.',
    },
    price: 29_000,
    groups: ALL,
    defaults: HOT,
    popularity: 5,
    retiredDaysAgo: 25,
  },
];

/** Per-product option overrides (PR-3): included toppings, unavailable combinations. */
export const PRODUCT_OPTION_OVERRIDES: {
  sku: string;
  item: string;
  price?: number;
  available?: boolean;
}[] = [
  { sku: 'MT-BROWN-SUGAR', item: 'TAPIOCA', price: 2_000 },
  { sku: 'CO-BOBA-LATTE', item: 'TAPIOCA', price: 2_000 },
  { sku: 'CF-OOLONG', item: 'CHEESE_FOAM', available: false },
  { sku: 'CF-STRAWBERRY', item: 'CHEESE_FOAM', available: false },
  { sku: 'CF-MATCHA', item: 'CHEESE_FOAM', available: false },
  { sku: 'FT-GRAPE', item: 'CHEESE_FOAM', available: false },
  { sku: 'CO-LATTE', item: 'RED_BEAN', available: false },
  { sku: 'SE-PISTACHIO', item: 'PUDDING', price: 3_000 },
];

/** Store listings that differ from the defaults (PR-1, PR-2, PR-8). */
export const STORE_PRODUCT_OVERRIDES: {
  store: string;
  sku: string;
  price?: number;
  special?: boolean;
  stock?: 'LOW_STOCK' | 'OUT_OF_STOCK';
  source?: 'MANUAL' | 'IIKO';
  inactive?: boolean;
}[] = [
  { store: 'MSK-01', sku: 'FT-PASSION', price: 21_000, special: true },
  { store: 'MSK-01', sku: 'CF-STRAWBERRY', stock: 'LOW_STOCK', source: 'MANUAL' },
  { store: 'MSK-01', sku: 'SE-PUMPKIN-LATTE', inactive: true },
  { store: 'MSK-02', sku: 'MT-TARO', price: 25_000, special: true },
  { store: 'MSK-02', sku: 'FT-STRAWBERRY', stock: 'OUT_OF_STOCK', source: 'IIKO' },
  { store: 'MSK-02', sku: 'FT-GRAPE', stock: 'LOW_STOCK', source: 'IIKO' },
  { store: 'MSK-02', sku: 'SE-PUMPKIN-LATTE', inactive: true },
  { store: 'MSK-03', sku: 'MT-BROWN-SUGAR', price: 31_000 },
  { store: 'MSK-03', sku: 'MT-MATCHA-LATTE', price: 33_000 },
  { store: 'MSK-03', sku: 'FT-MANGO-POMELO', price: 37_000 },
  { store: 'MSK-03', sku: 'CO-LATTE', price: 23_000 },
  { store: 'MSK-03', sku: 'CO-COCONUT-LATTE', price: 34_000 },
  { store: 'MSK-03', sku: 'CF-MATCHA', stock: 'OUT_OF_STOCK', source: 'MANUAL' },
  { store: 'MSK-03', sku: 'FT-KING-L', stock: 'LOW_STOCK', source: 'MANUAL' },
  { store: 'MSK-03', sku: 'SE-PUMPKIN-LATTE', inactive: true },
];

/**
 * One product whose name and price were edited by an admin after the last iiko import (IK-9), so
 * the conflict list on the iiko dashboard is not empty.
 */
export const MANUAL_OVERRIDE = {
  sku: 'CF-OOLONG',
  iikoPrice: 29_000,
  iikoName: 'Улун сырная пенка',
};

/**
 * iiko dictionary ids the demo settings point at (CF-8 `iiko.payment_type_id`,
 * `iiko.discount_type_id`); the fake iiko (scripts/fakes/iiko) knows exactly these.
 */
export const IIKO_PAYMENT_TYPE_ID = '5e0c9a8e-2f4b-4c1e-9a57-7c1d0b6f3a01';
export const IIKO_DISCOUNT_TYPE_ID = '5e0c9a8e-2f4b-4c1e-9a57-7c1d0b6f3a02';

/** Demo device key store (OS-2): the CLI prints its key once. */
export const SCAN_KEY_STORE = 'MSK-01';
