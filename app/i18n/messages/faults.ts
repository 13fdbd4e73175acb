import { defineMessages } from '../define';

/**
 * What a visitor or an API client reads while the database cannot be reached (CF-3): the 503 page
 * of a document request and the `message_key` of the `SERVICE_UNAVAILABLE` JSON answer; and the
 * `message_key` of the server's 413 `PAYLOAD_TOO_LARGE` answer (scripts/server.ts).
 */
export const faults = defineMessages({
  ru: {
    'faults.unavailable.status': 'Ошибка 503',
    'faults.unavailable.title': 'Сервис временно недоступен',
    'faults.unavailable.body':
      'Мы не можем обработать запрос прямо сейчас. Повторите попытку через несколько секунд.',
    'faults.unavailable.retry': 'Повторить',
    'faults.unavailable.requestId': 'Код запроса: {id}',
    'faults.payloadTooLarge': 'Запрос слишком большой.',
  },
  zh: {
    'faults.unavailable.status': '错误 503',
    'faults.unavailable.title': '服务暂时不可用',
    'faults.unavailable.body': '我们暂时无法处理您的请求，请几秒钟后重试。',
    'faults.unavailable.retry': '重试',
    'faults.unavailable.requestId': '请求编号：{id}',
    'faults.payloadTooLarge': '请求过大。',
  },
  en: {
    'faults.unavailable.status': 'Error 503',
    'faults.unavailable.title': 'Service temporarily unavailable',
    'faults.unavailable.body':
      'We cannot process the request right now. Please try again in a few seconds.',
    'faults.unavailable.retry': 'Try again',
    'faults.unavailable.requestId': 'Request id: {id}',
    'faults.payloadTooLarge': 'The request is too large.',
  },
});
