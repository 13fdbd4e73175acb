import { defineMessages } from '../define';

/** Payments: the pay page, the provider's payment description, store-chat notices. */
export const payments = defineMessages({
  ru: {
    'payments.provider.description': 'Заказ {number}',
    'payments.receipt.delivery': 'Доставка',
    'payments.pay.title': 'Оплата заказа',
    'payments.pay.rejected':
      'Платёжная система не приняла оплату. Попробуйте ещё раз — будет создан новый платёж.',
    'payments.pay.unavailable':
      'Платёжная система сейчас не отвечает. Попробуйте ещё раз через минуту — повторный платёж не спишет деньги дважды.',
    'payments.pay.deadline':
      'Время на оплату заказа истекло. Заказ будет отменён, деньги не списаны.',
    'payments.pay.retry': 'Попробовать ещё раз',
    'payments.pay.backToOrder': 'Вернуться к заказу',
    'payments.notify.captureCanceled':
      'Заказ {number}: списание оплаты не прошло ({reason}), заказ отменён. Отмените его в iiko.',
  },
  zh: {
    'payments.provider.description': '订单 {number}',
    'payments.receipt.delivery': '配送',
    'payments.pay.title': '订单支付',
    'payments.pay.rejected': '支付系统未接受本次付款。请重试，系统将创建新的付款。',
    'payments.pay.unavailable': '支付系统暂时无响应。请一分钟后重试，重复付款不会重复扣款。',
    'payments.pay.deadline': '订单支付时间已过。订单将被取消，未扣款。',
    'payments.pay.retry': '重试',
    'payments.pay.backToOrder': '返回订单',
    'payments.notify.captureCanceled':
      '订单 {number}：扣款失败（{reason}），订单已取消。请在 iiko 中取消该订单。',
  },
  en: {
    'payments.provider.description': 'Order {number}',
    'payments.receipt.delivery': 'Delivery',
    'payments.pay.title': 'Order payment',
    'payments.pay.rejected':
      'The payment system did not accept the payment. Try again — a new payment will be created.',
    'payments.pay.unavailable':
      'The payment system is not answering right now. Try again in a minute — a repeated attempt never charges twice.',
    'payments.pay.deadline':
      'The time to pay for this order has run out. The order will be cancelled; nothing was charged.',
    'payments.pay.retry': 'Try again',
    'payments.pay.backToOrder': 'Back to the order',
    'payments.notify.captureCanceled':
      'Order {number}: the payment capture failed ({reason}) and the order was cancelled. Cancel it in iiko.',
  },
});
